/**
 * The one table of what crosses between a QuickJS context and the host, shared by both sides: the guest
 * (test/runtime/guest, bundled into every context) calls the host's operations through `host(op, arg)`,
 * the host calls the guest's through `GuestVM.call(op, arg)`. Each operation is named once here with its
 * argument and its result, so both ends are checked against the same types: a new operation, a renamed
 * one or a changed argument fails the type check on whichever side has not followed.
 *
 * Names are `<module>.<what>`, grouped by the `@zos` module (or the phone global) they serve; the host
 * keeps one handler table per module (`test/runtime/zos/*.ts`, `phone.ts`, `settings-app.ts`).
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** One operation: what it is called with, what it answers. */
interface Op<A = void, R = void> {
  readonly arg: A;
  readonly result: R;
}

/**
 * What a failure is, for whoever reads the double's verdict (scripts/check-samples.ts): a call the
 * reference forbids, with the rule and the page that says so; an API the double does not model, by
 * name; or anything else (the app threw, a callback failed, the double's own contract).
 */
export type Finding =
  | {
      readonly kind: 'refused';
      /** The rule, in a few words ("setter below API_LEVEL 4.0"). */
      readonly rule: string;
      /**
       * Where Zepp's documentation says so: a reference page (`ui/widget/BUTTON`, under
       * reference/device-app-api/newAPI/), a guide (`guides/framework/device/app-service.md`) or another
       * page of zeppos-docs; empty when only the typings say it.
       */
      readonly page: string;
    }
  | { readonly kind: 'not-modelled'; readonly api: string }
  | { readonly kind: 'error' };

export interface Failure {
  readonly message: string;
  readonly finding?: Finding;
}

export type VibrationRequest =
  | { readonly mode: string }
  | { readonly sequence: readonly { readonly type: string; readonly duration: number | null }[] };

/** A notification as `notify` posted it (notification/notify: title, content, actions, vibrate). */
export interface NotifyOption {
  readonly title: string;
  readonly content: string;
  readonly actions: readonly { readonly text: string; readonly file: string; readonly param?: string }[];
  readonly vibrate?: number;
}

export interface RawWidget {
  id: number;
  type: string;
  props: Record<string, string | number | boolean | null>;
  /** A BUTTON with a click_func. */
  click: boolean;
}

/** One component of a Settings App page as the guest renders it. */
export interface SettingsNode {
  readonly id: number;
  readonly type: string;
  readonly props: Readonly<Record<string, Json>>;
  /** Names of the props that are handlers (onClick, onChange). */
  readonly handlers: readonly string[];
  readonly children: readonly (SettingsNode | string)[];
}

/** Guest → host: what a context asks of the host. */
export interface HostOps {
  // every context
  log: Op<{ level: string; text: string }>;
  fail: Op<Failure>;
  'timer.set': Op<{ id: number; ms: number; repeat: boolean }>;
  'timer.clear': Op<{ id: number }>;
  // @zos/sensor: Vibrator, HeartRate, Screen
  'vibrator.start': Op<VibrationRequest>;
  'vibrator.stop': Op;
  'screen.on': Op<void, boolean>;
  // @zos/app getPerformance (4.0): the app context's QuickJS heap, bytes
  'app.performance': Op<void, { used: number; peak: number }>;
  'hr.available': Op<void, boolean>;
  'hr.permission': Op<void, number>;
  'hr.last': Op<void, number>;
  'hr.on': Op;
  'hr.off': Op<{ listeners: number }>;
  // @zos/ui IMG: whether `src` is a file of the package's assets
  'ui.asset': Op<{ path: string }, boolean>;
  // @zos/media Player: whether there is a speaker; prepare (PREPARE answered to the kept callback);
  // start (PLAY and COMPLETE answered to theirs); stop
  'media.speaker': Op<void, boolean>;
  'media.prepare': Op<{ file: string; callback: number }>;
  'media.start': Op<{ file: string; volume: number; play: number; complete: number }>;
  'media.stop': Op;
  // @zos/storage LocalStorage
  'storage.get': Op<{ key: string }, { json: string | null }>;
  'storage.set': Op<{ key: string; json: string }>;
  'storage.remove': Op<{ key: string }>;
  'storage.load': Op<void, Record<string, string>>;
  'storage.save': Op<{ entries: Record<string, string> }>;
  // @zos/router
  'router.push': Op<{ url: string; params: string | null }>;
  'router.replace': Op<{ url: string; params: string | null }>;
  'router.back': Op;
  // @zos/display
  'display.setWakeUpRelaunch': Op<{ relaunch: boolean }>;
  'display.setPageBrightTime': Op<{ brightTime: number | null }, number>;
  'display.resetPageBrightTime': Op<void, number>;
  'display.pauseDropWristScreenOff': Op<{ duration: number | null }, number>;
  'display.resetDropWristScreenOff': Op<void, number>;
  'display.pausePalmScreenOff': Op<{ duration: number | null }, number>;
  'display.resetPalmScreenOff': Op<void, number>;
  'display.setScreenOff': Op<void, number>;
  'display.getBrightness': Op<void, number>;
  'display.setBrightness': Op<{ brightness: Json }, number>;
  'display.getAutoBrightness': Op<void, boolean>;
  'display.setAutoBrightness': Op<{ autoBright: Json }>;
  // @zos/alarm
  'alarm.set': Op<{ option: { [key: string]: Json } }, number>;
  'alarm.cancel': Op<{ id: Json }>;
  'alarm.all': Op<void, number[]>;
  // @zos/interaction createModal
  'modal.show': Op<{ fields: Record<string, Json> }>;
  'modal.hide': Op;
  // @zos/ble
  'ble.connect': Op;
  'ble.disconnect': Op;
  'ble.send': Op<{ hex: string }, boolean>;
  'ble.status': Op<void, boolean>;
  // @zos/app-service, @zos/notification, @zos/app permissions
  'service.start': Op<{ file: string; param: string | null; reload: boolean; complete: number }, number>;
  'service.stop': Op<{ file: string; complete: number }, number>;
  'service.all': Op<void, string[]>;
  'service.exit': Op;
  'notification.notify': Op<NotifyOption, number>;
  'permission.query': Op<{ permissions: Json }, number[]>;
  'permission.request': Op<{ permissions: Json; callback: number }, number>;
  // @zos/fs
  'fs.read': Op<{ path: string }, { data: string | null }>;
  'fs.write': Op<{ path: string; data: string }>;
  'fs.rm': Op<{ path: string }, number>;
  // the phone: settingsStorage (Side Service and Settings App), the Side Service's globals
  'settings.get': Op<{ key: string }, { value: string | null }>;
  'settings.set': Op<{ key: string; value: string }>;
  'settings.remove': Op<{ key: string }>;
  'settings.clear': Op;
  'settings.all': Op<void, Record<string, string>>;
  'side.appInfo': Op<void, { app: { appId: number; appName: string } }>;
  'side.send': Op<{ hex: string }>;
  /** The Side Service's `fetch` (side-service-api/fetch.mdx): the host makes the request, answers later. */
  'side.fetch': Op<SideFetch>;
}

/** A request as the Side Service's `fetch` was given it: only the four documented fields. */
export interface SideFetch {
  readonly id: number;
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
}

/** What a `fetch` resolves with (status, body as text; `asObject`: parsed when JSON) or rejects with. */
export type SideFetched =
  | { readonly id: number; readonly status: number; readonly body: string; readonly asObject: boolean }
  | { readonly id: number; readonly error: string };

/** Host → guest: what the host asks of a context. */
export interface GuestOps {
  // every context
  timer: Op<{ id: number }>;
  eval: Op<{ code: string }, Json>;
  // the watch app
  'app.create': Op<{ param: string | null }>;
  'app.destroy': Op;
  'page.prepare': Op<{ route: string }>;
  'page.start': Op<{ params: string | null }>;
  'page.destroy': Op;
  'ui.screen': Op<void, RawWidget[]>;
  /**
   * Between two calls from the system (a heap measurement): the widgets the last call deleted, which the
   * double keeps until the next call to count a redraw's writes, are let go (every guest op does this
   * first: this one does nothing else). A watch frees a deleted widget at once.
   */
  'ui.between': Op;
  'ui.writes': Op<void, Record<string, { written: number; changed: number }>>;
  'ui.tap': Op<{ id: number }, boolean>;
  'input.key': Op<{ key: string; event: string }, { handled: boolean; suppressed: boolean }>;
  'input.gesture': Op<{ dir: string }, { handled: boolean; suppressed: boolean }>;
  'input.crown': Op<{ degree: number }, { handled: boolean }>;
  'modal.click': Op<{ button: string }, { handled: boolean }>;
  'ble.data': Op<{ hex: string }, { delivered: boolean }>;
  'ble.statusChanged': Op<{ connected: boolean }>;
  // the watch app and the App Service
  'hr.reading': Op<{ bpm: number }>;
  'hr.clear': Op;
  callback: Op<{ id: number; arg: Json }>;
  'service.init': Op<{ param: string | null }>;
  /** A notification's action reached the running service (system-notification guide: its `onEvent`). */
  'service.event': Op<{ param: string | null }, { handled: boolean }>;
  'service.destroy': Op;
  // the Side Service
  'side.loaded': Op<void, { called: boolean }>;
  'side.start': Op;
  'side.destroy': Op;
  'side.message': Op<{ hex: string }>;
  'side.fetched': Op<SideFetched>;
  'settings.change': Op<{ key: string; newValue: string | null; oldValue: string | null }>;
  // the Settings App
  'settings.loaded': Op<void, { called: boolean }>;
  'settings.build': Op<void, SettingsNode>;
  /** A click, a committed text (`value`), or what `Auth` hands its callbacks (`json`). */
  'settings.event': Op<{ id: number; name: string; value?: string; json?: Json }>;
}

export type HostOp = keyof HostOps;
export type GuestOp = keyof GuestOps;

/** The argument list of an operation: none for a `void` argument. */
export type ArgsOf<T extends { arg: unknown }> = T['arg'] extends void ? [] : [T['arg']];

/** A handler for each of the operations `K`: the type check demands every one. */
export type HostHandlers<K extends HostOp> = {
  readonly [k in K]: (arg: HostOps[k]['arg']) => HostOps[k]['result'];
};
export type GuestHandlers<K extends GuestOp> = {
  readonly [k in K]: (arg: GuestOps[k]['arg']) => GuestOps[k]['result'];
};

/** The operations whose names start with `prefix.`: one module's. */
export type HostOpsOf<P extends string> = Extract<HostOp, `${P}.${string}`>;

/**
 * Runs the handler of `op` on `arg` as they arrived from a context (a string and parsed JSON): the one
 * place the wire's untyped values meet the table. An operation the table lacks goes to `unknown`.
 */
export function dispatch(
  handlers: object,
  op: string,
  arg: unknown,
  unknown: (op: string) => unknown,
): unknown {
  if (!Object.prototype.hasOwnProperty.call(handlers, op)) return unknown(op);
  const handler = (handlers as Record<string, (arg: unknown) => unknown>)[op]!;
  return handler(arg);
}

/**
 * `@zos/alarm`'s constants in the double's numbering, shared by the module (guest) and the alarms (host):
 * REPEAT_* is the index in ALARM_REPEAT; WEEK_* is the bit `1 << index` in ALARM_WEEK_DAYS (alarm/set:
 * `week_days: WEEK_MON | WEEK_WED`).
 */
export const ALARM_REPEAT = ['ONCE', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export const ALARM_WEEK_DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;

/** The guest operations each kind of context answers (besides `timer` and `eval`, which all do). */
export type WatchGuestOp = Exclude<
  GuestOp,
  | 'timer'
  | 'eval'
  | 'service.init'
  | 'service.event'
  | 'service.destroy'
  | Extract<GuestOp, `side.${string}` | `settings.${string}`>
>;
export type ServiceGuestOp =
  'callback' | 'hr.reading' | 'hr.clear' | 'service.init' | 'service.event' | 'service.destroy';
export type SideGuestOp = Extract<GuestOp, `side.${string}`> | 'settings.change';
export type SettingsGuestOp = 'settings.loaded' | 'settings.build' | 'settings.event';
