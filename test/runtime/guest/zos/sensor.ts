/** `@zos/sensor`: the Time sensor and the Vibrator (scenes and, from API 3.6, scene sequences). */
import {
  config,
  fail,
  gateMembers,
  guardModule,
  host,
  now,
  requireApi,
  requireLevel,
  strict,
  tableLevel,
  type Obj,
} from '../bridge';

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

class Vibrator {
  constructor() {
    return strict('@zos/sensor', 'Vibrator', this);
  }
  private mode = SCENES.VIBRATOR_SCENE_SHORT_MIDDLE!; // typings @defaultValue VIBRATOR_SCENE_SHORT_MIDDLE
  start(option?: unknown): void {
    if (Array.isArray(option)) {
      requireLevel(
        '@zos/sensor',
        'start',
        'Vibrator',
        config.typings.modules['@zos/sensor']?.members.Vibrator?.start?.argSince,
        'an array of scenes',
      );
      const action = tableLevel('@zos/sensor', 'Vibrator', 'Action');
      requireApi(
        action.since,
        '@zos/sensor Vibrator.prototype.start (an array of scenes)',
        `Zepp docs ${action.page}`,
      );
      const sequence = option.map((a: unknown, i) => {
        const o = a as Obj | null;
        const type = o ? TYPE_NAME.get(o.type as number) : undefined;
        if (!type) fail(`Vibrator.start([...]): item ${i} has no valid type (use getType())`);
        if (o!.duration !== undefined && typeof o!.duration !== 'number')
          fail(`Vibrator.start([...]): item ${i} duration is not a number`);
        return { type: type!, duration: (o!.duration as number | undefined) ?? null };
      });
      host('vibrate', { sequence });
      return;
    }
    const mode = option === undefined ? this.mode : (option as Obj | null)?.mode;
    host('vibrate', { mode: this.scene(mode ?? this.mode, 'start') });
  }
  stop(): void {
    host('vibrate.stop');
  }
  setMode(option: unknown): void {
    // Typings: setMode({ mode }); the Vibrator docs' own example passes the bare constant: accept both.
    const mode = typeof option === 'number' ? option : (option as Obj | null)?.mode;
    this.scene(mode, 'setMode');
    this.mode = mode as number;
  }
  getType(): Obj {
    const type = tableLevel('@zos/sensor', 'Vibrator', 'Type');
    requireApi(
      type.since,
      '@zos/sensor Vibrator.prototype.getType (its Type constants)',
      `Zepp docs ${type.page}`,
    );
    return { ...TYPES };
  }
  private scene(mode: unknown, api: string): string {
    const name = typeof mode === 'number' ? SCENE_NAME.get(mode) : undefined;
    if (!name) fail(`Vibrator.${api}: mode ${String(mode)} is not a VIBRATOR_SCENE_* constant`);
    return name!;
  }
}
gateMembers('@zos/sensor', 'Vibrator', Vibrator.prototype as unknown as Obj);

export const sensorModule = (): Obj => guardModule('@zos/sensor', { ...SCENES, Vibrator, Time });
