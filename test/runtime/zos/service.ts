/**
 * The App Service, host side (zeppos-docs guides/framework/device/app-service.md; app-service/start,
 * stop, exit, getAllAppServices; timer/createSysTimer; notification/notify; app/queryPermission,
 * requestPermission; all at c08725b).
 *
 * - A continuously running service is started from the Device App with `start` and keeps running
 *   after the app exits, in a context of its own, until it calls `exit`, a page `stop`s it, or the
 *   system ends it. `restart()` is the system restarting it (`reload`, default true from 4.0: "system
 *   restart, power saving mode entry/exit, system language changes, Mini Program updates").
 * - Its `createSysTimer` timers fire "regardless of watch screen state".
 * - `start` needs the user's grant of `device:os.bg_service` (`queryPermission` 0 not authorised,
 *   2 authorised; `requestPermission` asks and calls back [2] granted or [0] refused). It returns 0 and
 *   calls `complete_func({file, result})` later, or returns an ERROR_CODE: 1 parameter, 2 service state,
 *   3 no permission, 4 out of memory, 5 not supported, 6 prohibited, 7 too many services, 255 unknown.
 * - "Only one instance of the App Service can run at a time" on the watch: another app's running
 *   service is modelled as `otherService`, and a start then fails with 7 (the guide says the system asks
 *   the user to choose; the double takes the harsher outcome, the user keeping the other one).
 *
 * Where the docs are silent the double takes the harsher reading, with a switch for the other:
 * - a `start` of the service that is already running fails with 2 (service state error), rather than
 *   delivering the new param to it (`startWhileRunning: 'deliver'`);
 * - a restarted service gets no param in onInit (the start's param again: `restartParam: 'same'`);
 * - a restart ends the old instance without onDestroy (as a kill ends an app).
 */
import type { ClockEvent } from '../clock';
import type { HostHandlers, Json, NotifyOption } from '../ops';
import type { World } from '../world';

export type ServiceReadings = {
  startWhileRunning?: 'fail' | 'deliver';
  restartParam?: 'none' | 'same';
};

export type BackgroundPermission = 'ask-grant' | 'ask-refuse' | 'granted' | 'refused-for-good';

export interface Notification extends NotifyOption {
  readonly id: number;
  readonly t: number;
}

/** What the service host needs of the watch. */
export interface ServiceHost {
  readonly world: World;
  /** The app.json App Service files. */
  readonly services: readonly string[];
  /** Creates the service's context, evaluates its file and calls onInit(param). */
  boot(file: string, param: string | null, owner: string): void;
  /** Calls onDestroy (unless `quiet`) and disposes of the context. */
  shutdown(quiet: boolean): void;
  /**
   * Runs `file` once in a context of its own (a single execution): onInit(param), then, its code done,
   * onDestroy, and the context is gone.
   */
  runOnce(file: string, param: string | null, owner: string): void;
  /** Gives `param` to the running service's onEvent; false when it has none. */
  event(param: string | null): boolean;
  /** Calls a kept callback of the app's context (complete_func, the permission callback). */
  callApp(id: number, arg: Json): void;
  defer(label: string, run: () => void): void;
  screenOn(): boolean;
}

export interface ServiceOptions {
  backgroundPermission?: BackgroundPermission;
  /** Makes `start` return this ERROR_CODE (1–7, 255) instead of starting. */
  serviceStartError?: number;
  /** Another app's continuous service runs on the watch. */
  otherService?: boolean;
  readings?: ServiceReadings;
}

export const START_ERROR_CODES = [1, 2, 3, 4, 5, 6, 7, 255] as const;

export class Services {
  private running: { file: string; param: string | null; owner: string } | undefined;
  private generation = 0;
  private permission: BackgroundPermission;
  private readonly timers = new Map<number, ClockEvent | undefined>();
  private readonly notes: Notification[] = [];
  private nextNote = 0;
  private readonly log: { t: number; what: string }[] = [];
  /** How many times the user was asked for the background permission. */
  asked = 0;

  constructor(
    readonly host: ServiceHost,
    private readonly opts: ServiceOptions,
  ) {
    this.permission = opts.backgroundPermission ?? 'ask-grant';
  }

  get file(): string | undefined {
    return this.running?.file;
  }

  events(): readonly { t: number; what: string }[] {
    return [...this.log];
  }

  notifications(): readonly Notification[] {
    return [...this.notes];
  }

  private event(what: string): void {
    this.log.push({ t: this.host.world.t(), what });
    this.host.world.event('app', `service: ${what}`);
  }

  private granted(): boolean {
    return this.permission === 'granted';
  }

  // ---- from the Device App ----------------------------------------------------------------------

  queryPermission(permissions: Json): number[] {
    if (!Array.isArray(permissions) || permissions.length < 1) {
      this.host.world.fail('@zos/app queryPermission: permissions must be an array of at least 1 string', {
        kind: 'refused',
        rule: 'permissions that are not an array of strings',
        page: 'app/queryPermission',
      });
      return [];
    }
    return permissions.map((p) => (p === 'device:os.bg_service' ? (this.granted() ? 2 : 0) : 1));
  }

  requestPermission(permissions: Json, callback: number): number {
    if (!Array.isArray(permissions) || permissions.length < 1) {
      this.host.world.fail('@zos/app requestPermission: permissions must be an array of at least 1 string', {
        kind: 'refused',
        rule: 'permissions that are not an array of strings',
        page: 'app/requestPermission',
      });
      return 1;
    }
    if (this.granted()) return 2;
    if (this.permission === 'refused-for-good') return 1;
    this.asked++;
    const grant = this.permission === 'ask-grant';
    this.event(`permission asked: ${grant ? 'granted' : 'refused'}`);
    if (grant) this.permission = 'granted';
    this.host.defer('permission answer', () =>
      this.host.callApp(
        callback,
        permissions.map(() => (grant ? 2 : 0)),
      ),
    );
    return 0;
  }

  start(file: string, param: string | null, complete: number): number {
    const refuse = (code: number, why: string): number => {
      this.event(`start ${file} refused: ${code} (${why})`);
      return code;
    };
    if (!this.host.services.includes(file)) return refuse(1, `not in app.json module.app-service.services`);
    if (this.opts.serviceStartError !== undefined)
      return refuse(this.opts.serviceStartError, 'forced by the test');
    if (!this.granted()) return refuse(3, 'the user has not granted device:os.bg_service');
    if (this.opts.otherService) return refuse(7, "another app's service runs");
    if (this.running) {
      if (this.opts.readings?.startWhileRunning !== 'deliver') return refuse(2, 'it is running already');
      this.running.param = param;
      this.host.defer('service start complete', () => this.host.callApp(complete, { file, result: true }));
      return 0;
    }
    this.host.defer('service start', () => {
      this.launch(file, param);
      this.host.callApp(complete, { file, result: true });
    });
    return 0;
  }

  stop(file: string, complete: number): number {
    const was = this.running?.file === file;
    this.host.defer('service stop', () => {
      if (was && this.running?.file === file) this.end('stopped by the app', false);
      this.host.callApp(complete, { file, result: was });
    });
    return 0;
  }

  all(): string[] {
    return this.running ? [this.running.file] : [];
  }

  // ---- from the service --------------------------------------------------------------------------

  exit(): void {
    this.host.defer('service exit', () => {
      if (this.running) this.end('exit', false);
    });
  }

  notify(o: NotifyOption): number {
    const id = ++this.nextNote;
    const note: Notification = { id, t: this.host.world.t(), ...o };
    this.notes.push(note);
    this.event(`notification "${note.title}"`);
    return id;
  }

  setTimer(id: number, ms: number, periodic: boolean, fire: (id: number) => void): void {
    const owner = this.running?.owner ?? 'service';
    const arm = (): void => {
      this.timers.set(
        id,
        this.host.world.clock.schedule(ms, `service timer #${id}`, owner, () => {
          if (periodic) arm();
          else this.timers.delete(id);
          // createSysTimer: "runs regardless of watch screen state".
          fire(id);
        }),
      );
    };
    arm();
  }

  clearTimer(id: number): void {
    this.host.world.clock.cancel(this.timers.get(id));
    this.timers.delete(id);
  }

  /** Whether a file write from the service is allowed now: "only when the screen is off or in AOD". */
  writeAllowed(): boolean {
    return !this.host.screenOn();
  }

  // ---- the system --------------------------------------------------------------------------------

  /**
   * A single execution (guides/framework/device/app-service.md): an alarm's url, a notification's
   * action or a system event runs the file once, and it exits "as soon as the execution of the relevant
   * code is completed". No permission is needed. What it arms (createSysTimer) never fires.
   */
  single(file: string, param: string | null, why: string): void {
    if (!this.host.services.includes(file)) {
      this.host.world.fail(
        `${why}: ${file} is not an App Service of app.json (module.app-service.services: ${this.host.services.join(', ') || 'none'})`,
        {
          kind: 'refused',
          rule: 'an App Service file not in app.json',
          page: 'guides/framework/device/app-service.md',
        },
      );
      return;
    }
    const owner = `single#${++this.generation}`;
    this.event(`single execution of ${file} (${why})${param ? ` param=${param}` : ''}`);
    this.host.runOnce(file, param, owner);
    this.host.world.clock.cancelOwner(owner);
    this.event(`single execution of ${file} ended`);
  }

  /**
   * A notification's action names an App Service: the running one gets the param in its onEvent (the
   * system-notification guide's example, "processed in onEvent()"; the AppService reference does not list
   * onEvent); any other runs once with it (notification/notify: "The App Service file to be started",
   * "Parameters passed in during file loading").
   */
  notificationAction(file: string, param: string | null): void {
    if (this.running?.file === file) {
      const handled = this.host.event(param);
      this.event(
        `notification action to the running ${file}: ${handled ? 'onEvent' : 'it has no onEvent: the param is lost'}`,
      );
      return;
    }
    this.single(file, param, 'notification action');
  }

  /** The system restarts the running service (reload). */
  restart(): void {
    if (!this.running) throw new Error('no App Service is running');
    const { file, param } = this.running;
    this.end('restarted by the system', true);
    this.launch(file, this.opts.readings?.restartParam === 'same' ? param : null);
  }

  /** The system ends the service (memory, power saving) without a restart. */
  kill(): void {
    if (!this.running) throw new Error('no App Service is running');
    this.end('killed by the system', true);
  }

  private launch(file: string, param: string | null): void {
    const owner = `service#${++this.generation}`;
    this.running = { file, param, owner };
    this.event(`running ${file}${param ? ` param=${param}` : ''}`);
    this.host.boot(file, param, owner);
  }

  private end(why: string, quiet: boolean): void {
    const owner = this.running?.owner;
    this.running = undefined;
    for (const e of this.timers.values()) this.host.world.clock.cancel(e);
    this.timers.clear();
    if (owner) this.host.world.clock.cancelOwner(owner);
    this.event(`ended: ${why}`);
    this.host.shutdown(quiet);
  }
}

/** `@zos/app-service` as a page calls it: start, stop, the running services; `exit` is a service's. */
export function appServiceOps(
  services: Services,
): HostHandlers<'service.start' | 'service.stop' | 'service.all' | 'service.exit'> {
  return {
    'service.start': ({ file, param, complete }) => services.start(file, param, complete),
    'service.stop': ({ file, complete }) => services.stop(file, complete),
    'service.all': () => services.all(),
    'service.exit': () =>
      services.host.world.fail('@zos/app-service exit is for an App Service; a page stops it with stop', {
        kind: 'refused',
        rule: 'exit outside an App Service',
        page: 'app-service/exit',
      }),
  };
}

/** `@zos/notification` notify, from a page or the service. */
export function notificationOps(services: Services): HostHandlers<'notification.notify'> {
  return { 'notification.notify': (o) => services.notify(o) };
}

/** `@zos/app` queryPermission and requestPermission of the background permission. */
export function permissionOps(services: Services): HostHandlers<'permission.query' | 'permission.request'> {
  return {
    'permission.query': ({ permissions }) => services.queryPermission(permissions),
    'permission.request': ({ permissions, callback }) => services.requestPermission(permissions, callback),
  };
}
