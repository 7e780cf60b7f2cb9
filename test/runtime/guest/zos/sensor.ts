/**
 * `@zos/sensor`: the Time sensor, the Vibrator (scenes and, from API 3.6, scene sequences), the HeartRate
 * sensor's continuous measurement and `checkSensor`.
 */
import {
  config,
  gateMembers,
  guardModule,
  host,
  notModelled,
  now,
  refuse,
  requireApi,
  requireLevel,
  strict,
  tableLevel,
  callApp,
  type Fn,
  type Obj,
} from '../bridge';
import type { GuestHandlers } from '../../ops';

// ---- Time (typings: getMonth 1-12) ------------------------------------------------------------------
class Time {
  constructor() {
    return strict('@zos/sensor', 'Time', this);
  }
  private local(): Date {
    return new Date(now() + config.utcOffsetMinutes * 60_000);
  }
  getTime(): number {
    return now();
  }
  getFullYear(): number {
    return this.local().getUTCFullYear();
  }
  getMonth(): number {
    return this.local().getUTCMonth() + 1;
  }
  getDate(): number {
    return this.local().getUTCDate();
  }
  getHours(): number {
    return this.local().getUTCHours();
  }
  getMinutes(): number {
    return this.local().getUTCMinutes();
  }
}
gateMembers('@zos/sensor', 'Time', Time.prototype as unknown as Obj);

// ---- Vibrator -------------------------------------------------------------------------------------
// Scene numbers as in Zepp OS 1.x hmSensor (seen in a public compatibility shim); app code must use the names.
const SCENES: Record<string, number> = {
  VIBRATOR_SCENE_SHORT_LIGHT: 23,
  VIBRATOR_SCENE_SHORT_MIDDLE: 24,
  VIBRATOR_SCENE_SHORT_STRONG: 25,
  VIBRATOR_SCENE_DURATION: 28,
  VIBRATOR_SCENE_DURATION_LONG: 27,
};
const SCENE_NAME = new Map(Object.entries(SCENES).map(([k, v]) => [v, k.replace('VIBRATOR_SCENE_', '')]));
const TYPE_NAMES = [
  'GENTLE_SHORT',
  'STRONG_SHORT',
  'STANDARD_CROWN',
  'STRONG_CROWN',
  'SPULSE_CROWN',
  'DIPULSE_CROWN',
  'KEYCODE_CLICK',
  'URGENT',
  'CONTINUOUS',
  'PAUSE',
];
const TYPES: Obj = Object.fromEntries(TYPE_NAMES.map((n, i) => [n, i + 1]));
const TYPE_NAME = new Map(Object.entries(TYPES).map(([k, v]) => [v as number, k]));

/** A use of a whole table of the Vibrator's page ("Action", "Type") needs the table's lowest level. */
function requireTable(section: string, what: string): void {
  const table = tableLevel('@zos/sensor', 'Vibrator', section);
  requireApi(table.since, what, table.source, `Zepp docs ${table.label}`);
}

class Vibrator {
  constructor() {
    return strict('@zos/sensor', 'Vibrator', this);
  }
  private mode = SCENES.VIBRATOR_SCENE_SHORT_MIDDLE!; // typings @defaultValue VIBRATOR_SCENE_SHORT_MIDDLE
  start(option?: unknown): void {
    if (Array.isArray(option)) {
      // The reference's "Action" table first: it names the page; the typings say the same level.
      requireTable('Action', '@zos/sensor Vibrator.prototype.start (an array of scenes)');
      requireLevel(
        '@zos/sensor',
        'start',
        'Vibrator',
        config.typings.modules['@zos/sensor']?.members.Vibrator?.start?.argSince,
        'an array of scenes',
      );
      const sequence = option.map((a: unknown, i) => {
        const o = a as Obj | null;
        const type = o ? TYPE_NAME.get(o.type as number) : undefined;
        if (!type)
          refuse(
            `Vibrator.start([...]): item ${i} has no valid type (use getType())`,
            'an item without a Type constant',
            'sensor/Vibrator',
          );
        if (o!.duration !== undefined && typeof o!.duration !== 'number')
          refuse(
            `Vibrator.start([...]): item ${i} duration is not a number`,
            'a duration that is not a number',
            'sensor/Vibrator',
          );
        return { type: type!, duration: (o!.duration as number | undefined) ?? null };
      });
      host('vibrator.start', { sequence });
      return;
    }
    const mode = option === undefined ? this.mode : (option as Obj | null)?.mode;
    host('vibrator.start', { mode: this.scene(mode ?? this.mode, 'start') });
  }
  stop(): void {
    host('vibrator.stop');
  }
  setMode(option: unknown): void {
    // Typings: setMode({ mode }); the Vibrator docs' own example passes the bare constant: accept both.
    const mode = typeof option === 'number' ? option : (option as Obj | null)?.mode;
    this.scene(mode, 'setMode');
    this.mode = mode as number;
  }
  getType(): Obj {
    requireTable('Type', '@zos/sensor Vibrator.prototype.getType (its Type constants)');
    return { ...TYPES };
  }
  private scene(mode: unknown, api: string): string {
    const name = typeof mode === 'number' ? SCENE_NAME.get(mode) : undefined;
    if (!name)
      refuse(
        `Vibrator.${api}: mode ${String(mode)} is not a VIBRATOR_SCENE_* constant`,
        'a mode that is not a scene constant',
        'sensor/Vibrator',
      );
    return name!;
  }
}
gateMembers('@zos/sensor', 'Vibrator', Vibrator.prototype as unknown as Obj);

// ---- HeartRate -------------------------------------------------------------------------------------
// The host decides whether the sensor exists and the permission is granted, and when readings come
// (host HeartRateSensor). What the reference leaves open is read harshly: using the sensor where
// checkSensor says it is unavailable, or while queryPermission says the permission is not granted,
// fails; getCurrent outside an onCurrentChange callback fails (its page says it "needs to be used in
// the onCurrentChange callback"); a value before any measurement is 0.
let current: number | null = null;
const listeners: { sensor: HeartRate; cb: Fn }[] = [];

class HeartRate {
  constructor() {
    if (!host('hr.available')) {
      refuse(
        '@zos/sensor HeartRate: constructed on a watch where it is unavailable (ask checkSensor(HeartRate) first)',
        'HeartRate where checkSensor says it is unavailable (the harsher reading)',
        'sensor/checkSensor',
      );
    }
    return strict('@zos/sensor', 'HeartRate', this);
  }
  private authorised(api: string): void {
    if (host('hr.permission') !== 2)
      refuse(
        `@zos/sensor HeartRate.${api}: "data:user.hd.heart_rate" is not granted (queryPermission says so: ask it first)`,
        'HeartRate while its permission is not granted (the harsher reading)',
        'app/queryPermission',
      );
  }
  getCurrent(): number {
    this.authorised('getCurrent');
    if (current === null)
      refuse(
        '@zos/sensor HeartRate.getCurrent: called outside its onCurrentChange callback',
        'getCurrent outside onCurrentChange ("needs to be used in the onCurrentChange callback")',
        'sensor/HeartRate',
      );
    return current ?? 0;
  }
  getLast(): number {
    this.authorised('getLast');
    return host('hr.last');
  }
  onCurrentChange(cb: unknown): void {
    this.authorised('onCurrentChange');
    if (typeof cb !== 'function')
      refuse(
        '@zos/sensor HeartRate.onCurrentChange: the callback is not a function',
        'no callback',
        'sensor/HeartRate',
      );
    listeners.push({ sensor: this, cb: cb as Fn });
    host('hr.on');
  }
  offCurrentChange(cb: unknown): void {
    const i = listeners.findIndex((l) => l.sensor === this && l.cb === cb);
    if (i < 0)
      refuse(
        '@zos/sensor HeartRate.offCurrentChange: that callback is not registered on this sensor',
        'offCurrentChange of a callback not registered',
        'sensor/HeartRate',
      );
    listeners.splice(i, 1);
    host('hr.off', { listeners: listeners.length });
  }
}
gateMembers('@zos/sensor', 'HeartRate', HeartRate.prototype as unknown as Obj);

// ---- Screen (3.0) ------------------------------------------------------------------------------------
// getStatus: 1 on, 2 off (its reference page). The double has no AOD: getAodMode is false; onChange is
// not modelled (strict fails it by name).
class Screen {
  constructor() {
    return strict('@zos/sensor', 'Screen', this);
  }
  getStatus(): number {
    return host('screen.on') ? 1 : 2;
  }
  getAodMode(): boolean {
    return false;
  }
}
gateMembers('@zos/sensor', 'Screen', Screen.prototype as unknown as Obj);

function checkSensor(sensor: unknown): boolean {
  // The app holds the module's gated classes, which keep their names.
  const name = typeof sensor === 'function' ? sensor.name : '';
  if (name === 'HeartRate') return host('hr.available');
  if (name === 'Vibrator' || name === 'Time') return true;
  return notModelled(
    `not implemented by the runtime double: @zos/sensor checkSensor(${name || String(sensor)}) (it models HeartRate, Vibrator and Time only)`,
    `@zos/sensor checkSensor(${name || 'that sensor'})`,
  );
}

/** Host → watch: a measurement arrived; each registered callback reads it with getCurrent. */
export const sensorOps: GuestHandlers<'hr.reading' | 'hr.clear'> = {
  'hr.reading': ({ bpm }) => {
    for (const l of [...listeners]) {
      current = bpm;
      try {
        callApp('HeartRate onCurrentChange callback', l.cb, undefined);
      } finally {
        current = null;
      }
    }
  },
  /** The page went away: what it left registered is dropped (the host has already judged it). */
  'hr.clear': () => {
    listeners.length = 0;
  },
};

export const sensorModule = (): Obj =>
  guardModule('@zos/sensor', { ...SCENES, Vibrator, Time, HeartRate, Screen, checkSensor });
