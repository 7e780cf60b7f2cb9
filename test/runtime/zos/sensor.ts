/**
 * @zos/sensor Vibrator, host side: every start the app makes, with its scene (or API 3.6 sequence), the
 * virtual time, the screen's state and the page, whether it started over one still playing, and the
 * pulses the wrist actually felt.
 *
 * What the reference leaves open, the motor takes in its harsher reading unless a test asks for the
 * other one (BootOptions.readings): `stop()` does not cut a running scene short (the Vibrator page
 * never says it does). The app going away, or its page being destroyed, always ends what plays.
 */
import type { HostHandlers, HostOpsOf, VibrationRequest } from '../ops';
import type { World } from '../world';

export interface Pulse {
  /** ms from the vibration's start. */
  readonly fromMs: number;
  readonly ms: number;
}

export interface Vibration {
  /** Virtual ms since boot. */
  readonly t: number;
  readonly at: number;
  /** The scene name without VIBRATOR_SCENE_ (e.g. 'SHORT_STRONG'), or 'SEQUENCE' for the 3.6 array form. */
  readonly scene: string;
  readonly sequence?: readonly { type: string; duration: number | null }[];
  /** Documented length in ms (20, 600, 1000, 1200), null when undocumented or until stop(). */
  readonly durationMs: number | null;
  /**
   * What the wrist felt: each pulse on, after any cut (stop() under its cutting reading, a page or app
   * going away). Null when the scene's shape is undocumented (STRONG_REMINDER's four pulses, CALL...).
   */
  readonly pulses: readonly Pulse[] | null;
  readonly screenOn: boolean;
  readonly page: string | undefined;
  /** Started while the previous one was still playing. */
  readonly overlapped: boolean;
}

/** Documented lengths of the Vibrator scenes (Zepp docs sensor/Vibrator, constants table). */
const SCENE_MS: Record<string, number | null> = {
  SHORT_LIGHT: 20,
  SHORT_MIDDLE: 20,
  SHORT_STRONG: 20,
  DURATION: 600,
  DURATION_LONG: 1000,
  STRONG_REMINDER: 1200,
  NOTIFICATION: null,
  CALL: null,
  TIMER: null,
};
/** One pulse each; STRONG_REMINDER's "four vibrations in 1200ms" have no documented shape. */
const SINGLE_PULSE = new Set(['SHORT_LIGHT', 'SHORT_MIDDLE', 'SHORT_STRONG', 'DURATION', 'DURATION_LONG']);
/** A 3.6 sequence's short types carry no duration; the double gives them the short scenes' 20 ms (assumed). */
const SHORT_TYPE_MS = 20;

type Item = { type: string; duration: number | null };

function sequencePulses(sequence: readonly Item[]): Pulse[] | null {
  const pulses: Pulse[] = [];
  let at = 0;
  for (const s of sequence) {
    if (s.type === 'PAUSE') {
      if (s.duration === null) return null;
      at += s.duration;
    } else if (s.type === 'CONTINUOUS') {
      if (s.duration === null) return null;
      pulses.push({ fromMs: at, ms: s.duration });
      at += s.duration;
    } else if (s.type === 'GENTLE_SHORT' || s.type === 'STRONG_SHORT') {
      const ms = s.duration ?? SHORT_TYPE_MS;
      pulses.push({ fromMs: at, ms });
      at += ms;
    } else return null;
  }
  return pulses;
}

interface Felt {
  t: number;
  at: number;
  scene: string;
  sequence?: Item[];
  durationMs: number | null;
  pulses: Pulse[] | null;
  screenOn: boolean;
  page: string | undefined;
  overlapped: boolean;
}

export class Motor {
  private readonly felt: Felt[] = [];
  /** When the last pattern ends; null while one of unknown length plays. */
  private lastEnd: number | null = 0;

  constructor(
    private readonly world: World,
    private readonly where: () => { screenOn: boolean; page: string | undefined },
    private readonly stopCutsScene: boolean,
  ) {}

  vibrations(): readonly Vibration[] {
    return this.felt.map((f) => ({
      ...f,
      ...(f.sequence ? { sequence: f.sequence.map((s) => ({ ...s })) } : {}),
      pulses: f.pulses ? f.pulses.map((p) => ({ ...p })) : null,
    }));
  }

  start(p: VibrationRequest): void {
    const now = this.world.clock.now();
    const sequence = 'sequence' in p ? p.sequence.map((s) => ({ ...s })) : undefined;
    const scene = 'mode' in p ? p.mode : 'SEQUENCE';
    const pulses = sequence
      ? sequencePulses(sequence)
      : SINGLE_PULSE.has(scene)
        ? [{ fromMs: 0, ms: SCENE_MS[scene]! }]
        : null;
    const durationMs = sequence
      ? sequence.every((s) => s.duration !== null)
        ? sequence.reduce((a, s) => a + (s.duration ?? 0), 0)
        : null
      : (SCENE_MS[scene] ?? null);
    const overlapped = this.lastEnd === null || this.lastEnd > now;
    const { screenOn, page } = this.where();
    this.felt.push({
      t: this.world.t(),
      at: now,
      scene,
      ...(sequence ? { sequence } : {}),
      durationMs,
      pulses,
      screenOn,
      page,
      overlapped,
    });
    this.lastEnd = durationMs === null ? null : now + durationMs;
    const pattern = sequence
      ? sequence.map((s) => `${s.type}${s.duration !== null ? `:${s.duration}` : ''}`).join(' ')
      : scene;
    this.world.event(
      'vibration',
      `${pattern}${screenOn ? '' : ' (screen off)'}${overlapped ? ' (over one still playing)' : ''}`,
    );
  }

  /** The app's stop(): ends what plays only under the reading that it cuts a scene short. */
  stop(): void {
    if (this.stopCutsScene) this.cut('stop()');
  }

  /** The page or the app goes away: whatever plays ends now, under either reading. */
  cut(why: string): void {
    const now = this.world.clock.now();
    if (this.lastEnd !== null && this.lastEnd <= now) return;
    const last = this.felt[this.felt.length - 1];
    if (last?.pulses) {
      const elapsed = now - last.at;
      last.pulses = last.pulses
        .filter((p) => p.fromMs < elapsed)
        .map((p) => ({ fromMs: p.fromMs, ms: Math.min(p.ms, elapsed - p.fromMs) }));
      this.world.event('vibration', `cut at ${elapsed} ms (${why})`);
    }
    this.lastEnd = now;
  }
}

/** `@zos/sensor` Vibrator's operations. */
export function vibratorOps(motor: Motor): HostHandlers<HostOpsOf<'vibrator'>> {
  return {
    'vibrator.start': (p) => motor.start(p),
    'vibrator.stop': () => motor.stop(),
  };
}
