// zml's messaging on its own (@zeppos/zml 0.0.43, dist/3.0/module/messaging/plugin/app.js): the plugin
// BaseApp applies, without BaseApp's logger and file-transfer plugins. zml.d.ts does not declare it; these
// are the members its code has (a new BLE transport per call of appPlugin).
declare module '@zeppos/zml/3.0/module/messaging/plugin/app' {
  interface MessagingHost {
    /** onCreate keeps the messaging here too, as BaseApp's globalData. */
    globalData: object;
    onCall?(data: unknown): void;
    /** What onCreate made. */
    messaging?: { transport?: Transport };
  }
  /** The BLE transport (its class `$` in the dist): the members that hold its timers. */
  interface Transport {
    /** Clears the handshake's timeout (5 s), armed at every request, even with BLE down. */
    clearShakeTimer(): void;
    /** The handshake in flight (or the last one); requests wait on its promise before they are sent. */
    shakeTask: { reject(error: Error): void } | null;
    /** Pending requests by id; settling a task clears its timeout (60 s) and removes it. */
    handlers: Map<number, { task: { reject(error: Error): void } }>;
  }
  interface MessagingPlugin {
    /** Creates the messaging on `this` (this.messaging), registers its onCall, and connects. */
    onCreate(this: MessagingHost): void;
    /**
     * Unregisters, stops listening for answers, sends the close frame (throws if ble.send fails) and
     * disconnects. It leaves the handshake's and the pending requests' timeouts armed.
     */
    onDestroy(this: MessagingHost): void;
    request(
      this: MessagingHost,
      data: { method: string; params: unknown },
      options?: { timeout?: number },
    ): Promise<unknown>;
  }
  export function appPlugin(): MessagingPlugin;
}
