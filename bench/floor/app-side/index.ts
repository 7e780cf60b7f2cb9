// The floor's Side Service (the builder insists on one when the app has a phone side): does nothing.
AppSideService({ onInit() {}, onRun() {}, onDestroy() {} });
