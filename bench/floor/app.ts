// The floor's app.js: an app that does nothing of its own (bench/footprint.ts).
App({ globalData: {}, onCreate() {}, onDestroy() {} });
