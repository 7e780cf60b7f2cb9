/** app.json's version name, written in at build time (scripts/build.ts `define`). */
export const APP_VERSION: string = __APP_VERSION__;
