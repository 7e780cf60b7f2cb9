// Gaps in @zeppos/device-types 4.0.0, declared once here instead of casting at each call.
// Each is documented in the official Zepp OS API reference (docs/platform-facts.md lists the source).
declare module '@zos/ui' {
  /** docs: reference/device-app-api/newAPI/ui/deleteWidget (API_LEVEL 2.0). */
  function deleteWidget(widget: unknown): void;
}

/** app.json's version name, substituted by the build (and by vitest's config in tests). */
declare const __APP_VERSION__: string;

/** The corner radius (px) of each square target screen, keyed "<w>x<h>": from scripts/devices.json, by the build (and vitest's config). */
declare const __SCREEN_CORNERS__: Readonly<Record<string, number>>;

/**
 * docs: reference/device-app-api/newAPI/global/AppService (API_LEVEL 3.0): each App Service file calls
 * it once; `onInit` gets the start param (or an event's param).
 */
declare function AppService(option: {
  state?: object;
  onInit?(params?: string): void;
  onDestroy?(): void;
}): unknown;

/**
 * docs: reference/device-app-api/newAPI/media/create and media/Player (API_LEVEL 3.0): absent from
 * @zeppos/device-types 4.0.0. Only what the app uses.
 */
declare module '@zos/media' {
  interface Player {
    readonly source: { readonly FILE: number };
    readonly event: {
      readonly PREPARE: number;
      readonly COMPLETE: number;
      readonly PLAY: number;
      readonly STOP: number;
      readonly PAUSE: number;
      readonly PROGRESS: number;
    };
    setSource(source: number, options: { file: string }): void;
    prepare(): void;
    start(): void;
    stop(): void;
    setVolume(volume: number): boolean;
    addEventListener(event: number, callback: (result: boolean | number | undefined) => void): void;
  }
  const id: { readonly PLAYER: number; readonly RECORDER: number };
  function create(controllerId: number): Player;
}
