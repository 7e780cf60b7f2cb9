/**
 * @zos/sensor Vibrator, host side: every start the app makes, with its scene (or API 3.6 sequence), the
 * virtual time, the screen's state and the page, and whether it started over one still playing.
 */
import type { World } from '../world';

export interface Vibration {
  /** Virtual ms since boot. */
  readonly t: number;
  readonly at: number;
  /** The scene name without VIBRATOR_SCENE_ (e.g. 'SHORT_STRONG'), or 'SEQUENCE' for the 3.6 array form. */
  readonly scene: string;
  readonly sequence?: readonly { type: string; duration: number | null }[];
  /** Documented length in ms (20, 600, 1000, 1200), null when undocumented or until stop(). */
  readonly durationMs: number | null;
  readonly screenOn: boolean;
  readonly page: string | undefined;
  /** Started while the previous one was still playing and without stop() first. */
  readonly overlapped: boolean;
}

/** Documented lengths of the Vibrator scenes (Zepp docs, Vibrator constants). */
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

export class Motor {
  private readonly felt: Vibration[] = [];
  /** When the last pattern ends; null while one of unknown length plays. */
  private lastEnd: number | null = 0;

  constructor(
    private readonly world: World,
    private readonly where: () => { screenOn: boolean; page: string | undefined },
  ) {}

  vibrations(): readonly Vibration[] {
    return [...this.felt];
  }

  start(p: Record<string, unknown>): void {
    const now = this.world.clock.now();
    const sequence = p.sequence as { type: string; duration: number | null }[] | undefined;
    const scene = sequence ? 'SEQUENCE' : (p.mode as string);
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
      screenOn,
      page,
      overlapped,
    });
    this.lastEnd = durationMs === null ? null : now + durationMs;
    const pattern = sequence
      ? sequence.map((s) => `${s.type}${s.duration !== null ? `:${s.duration}` : ''}`).join(' ')
      : scene;
    this.world.event('vibration', `${pattern}${screenOn ? '' : ' (screen off)'}`);
  }

  /** stop(), or the app going away: whatever plays ends now. */
  stop(): void {
    const now = this.world.clock.now();
    if (this.lastEnd === null || this.lastEnd > now) this.lastEnd = now;
  }
}
