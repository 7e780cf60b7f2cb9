/** What a simulated world shares: the virtual clock, the failure list, logs, and a timeline for humans. */
import { VirtualClock } from './clock';
import type { Finding } from './ops';
import type { QuickJSWASMModule } from 'quickjs-emscripten';

export type { Finding };

/** A failure and what kind it is (ops.ts `Finding`): a refusal with its page, an API not modelled, an error. */
export interface FailureRecord {
  readonly message: string;
  readonly finding: Finding;
}

export interface LogLine {
  readonly at: number;
  readonly source: 'watch' | 'side';
  readonly level: string;
  readonly text: string;
}

export interface TimelineEvent {
  /** Milliseconds since boot (virtual). */
  readonly t: number;
  readonly kind:
    'app' | 'page' | 'vibration' | 'screen' | 'modal' | 'alarm' | 'phone' | 'storage' | 'timer' | 'sound';
  readonly text: string;
}

/** Thrown by the driver when the app (or the double's contract) failed: the test should fail. */
export class DoubleFailure extends Error {
  constructor(
    readonly failures: readonly string[],
    /** The same failures with what kind each is, in the same order. */
    readonly records: readonly FailureRecord[] = failures.map((message) => ({
      message,
      finding: { kind: 'error' },
    })),
  ) {
    super(`the runtime double saw ${failures.length} failure(s):\n- ${failures.join('\n- ')}`);
    this.name = 'DoubleFailure';
  }
}

export class World {
  readonly clock: VirtualClock;
  readonly bootAt: number;
  /** Failures not yet reported (`check`, `takeFailures`), as messages; `findings` holds what kind each is. */
  readonly failures: string[] = [];
  readonly findings: Finding[] = [];
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

  /** Records a failure; without a finding it is an error (neither a refusal nor an API not modelled). */
  fail(message: string, finding: Finding = { kind: 'error' }): void {
    this.failures.push(`[t=${fmtT(this.t())}] ${message}`);
    this.findings.push(finding);
  }

  /** Takes the failures not yet reported, with what kind each is. */
  takeRecords(): FailureRecord[] {
    const messages = this.failures.splice(0);
    const findings = this.findings.splice(0);
    return messages.map((message, i) => ({ message, finding: findings[i] ?? { kind: 'error' } }));
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
