/** What a simulated world shares: the virtual clock, the failure list, logs, and a timeline for humans. */
import { VirtualClock } from './clock';
import type { QuickJSWASMModule } from 'quickjs-emscripten';

export interface LogLine {
  readonly at: number;
  readonly source: 'watch' | 'side';
  readonly level: string;
  readonly text: string;
}

export interface TimelineEvent {
  /** Milliseconds since boot (virtual). */
  readonly t: number;
  readonly kind: 'app' | 'page' | 'vibration' | 'screen' | 'modal' | 'alarm' | 'phone' | 'storage' | 'timer';
  readonly text: string;
}

/** Thrown by the driver when the app (or the double's contract) failed: the test should fail. */
export class DoubleFailure extends Error {
  constructor(readonly failures: readonly string[]) {
    super(`the runtime double saw ${failures.length} failure(s):\n- ${failures.join('\n- ')}`);
    this.name = 'DoubleFailure';
  }
}

export class World {
  readonly clock: VirtualClock;
  readonly bootAt: number;
  readonly failures: string[] = [];
  readonly logs: LogLine[] = [];
  readonly timeline: TimelineEvent[] = [];

  constructor(
    readonly qjs: QuickJSWASMModule,
    start: number,
    readonly seed: number,
  ) {
    this.clock = new VirtualClock(start);
    this.bootAt = start;
  }

  /** Milliseconds since boot. */
  t(): number {
    return this.clock.now() - this.bootAt;
  }

  fail(message: string): void {
    this.failures.push(`[t=${fmtT(this.t())}] ${message}`);
  }

  event(kind: TimelineEvent['kind'], text: string): void {
    this.timeline.push({ t: this.t(), kind, text });
  }

  log(source: LogLine['source'], level: string, text: string): void {
    this.logs.push({ at: this.clock.now(), source, level, text });
  }
}

export function fmtT(ms: number): string {
  const s = Math.floor(ms / 1000);
  const m = Math.floor(s / 60);
  return `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.${String(ms % 1000).padStart(3, '0')}`;
}
