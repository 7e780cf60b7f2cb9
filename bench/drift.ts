/**
 * Cue timing under a late platform timer: our scheduler (one timer armed for the next absolute
 * deadline, recomputed from now() on every wake), the same timer as the session page arms it (the
 * earlier of the next cue and the screen's next tick, core/engine/wake, so it also fires once a second),
 * against the naive chain of setTimeout(step, duration).
 * Every timer fire is late by a seeded random 0–250 ms, and about one in 40 stalls 2–8 s more.
 * Deterministic: same seed, same figures. Run: npx tsx bench/drift.ts
 */
import { DEFAULT_PRESCRIPTION, MAXIMAL_PRESCRIPTION, type Prescription } from '../core/plan/prescription';
import { createSession, start, wake, type Update } from '../core/engine/session';
import { nextWake, onlyTick } from '../core/engine/wake';
import type { Result } from '../core/base/result';
import { seededRandom } from '../test/support/sync-fixtures';

const SEED = 20_240_601;
const MAX_LATE_MS = 250;
const STALL_EVERY = 40;
const STALL_MS = [2_000, 8_000] as const;
const SEEDS_FOR_WORST_CASE = 1_000;

/** How late one timer fire is: jitter always, a stall now and then (counted in `stalls`). */
function timerLateness(random: () => number, stalls: { count: number }): number {
  const jitter = Math.floor(random() * (MAX_LATE_MS + 1));
  if (random() >= 1 / STALL_EVERY) return jitter;
  stalls.count++;
  return jitter + STALL_MS[0] + Math.floor(random() * (STALL_MS[1] - STALL_MS[0]));
}

interface Figures {
  readonly cues: number;
  readonly stalls: number;
  readonly played: number;
  readonly passed: number;
  readonly maxLateMs: number;
  readonly driftMs: number;
  /** The lateness of the one timer fire that ended the session (ours only). */
  readonly lastFireLateMs: number;
}

function must<T, E>(r: Result<T, E>): T {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** `tickMs` null: the timer follows the cues alone; else it is armed as the session page arms it. */
function ours(p: Prescription, seed: number, tickMs: number | null = null): Figures {
  const random = seededRandom(seed);
  const stalls = { count: 0 };
  const t0 = 1_700_000_000_000;
  let u: Update = must(start(must(createSession(p)), t0));
  const total = u.session.timeline.totalMs;
  let played = 1;
  let passed = 0;
  let maxLateMs = 0;
  let lastFireLateMs = 0;
  let endedAt = t0;
  let armedFrom = t0;
  while (u.session.status !== 'finished') {
    const deadline = nextWake(u.session, armedFrom, tickMs) as number;
    const late = timerLateness(random, stalls);
    const now = deadline + late;
    armedFrom = now;
    // A wake for the screen alone leaves the session as it is (core/engine/session-flow).
    if (onlyTick(u.session, now)) continue;
    u = must(wake(u.session, now));
    passed += u.passed.length;
    if (u.play) {
      played++;
      const lateness = now - (t0 + u.play.atMs);
      maxLateMs = Math.max(maxLateMs, lateness);
      if (u.play.kind === 'sessionDone') {
        endedAt = now;
        lastFireLateMs = late;
      }
    }
  }
  return {
    cues: u.session.timeline.cues.length,
    stalls: stalls.count,
    played,
    passed,
    maxLateMs,
    driftMs: endedAt - (t0 + total),
    lastFireLateMs,
  };
}

function naive(p: Prescription, seed: number): Figures {
  const random = seededRandom(seed);
  const stalls = { count: 0 };
  const cues = must(createSession(p)).timeline.cues;
  let t = 0;
  let maxLateMs = 0;
  for (let i = 1; i < cues.length; i++) {
    // setTimeout(step, duration) armed when the previous cue fired: its lateness carries into this one.
    t += (cues[i]?.atMs ?? 0) - (cues[i - 1]?.atMs ?? 0) + timerLateness(random, stalls);
    maxLateMs = Math.max(maxLateMs, t - (cues[i]?.atMs ?? 0));
  }
  const last = cues[cues.length - 1]?.atMs ?? 0;
  return {
    cues: cues.length,
    stalls: stalls.count,
    played: cues.length,
    passed: 0,
    maxLateMs,
    driftMs: t - last,
    lastFireLateMs: Number.NaN,
  };
}

const s = (ms: number) => `${(ms / 1000).toFixed(3)} s`;
const rows: string[][] = [
  ['session', 'length', 'scheduler', 'stalls', 'cues played/passed', 'max cue lateness', 'end drift'],
];
const worst: string[][] = [
  [
    'session',
    'scheduler',
    'median end drift',
    `worst of ${SEEDS_FOR_WORST_CASE} seeds`,
    'drift > last fire lateness',
  ],
];

for (const [name, p] of [
  ['default', DEFAULT_PRESCRIPTION],
  ['maximal', MAXIMAL_PRESCRIPTION],
] as const) {
  const length = s(must(createSession(p)).timeline.totalMs);
  for (const [scheduler, f] of [
    ['ours', ours(p, SEED)],
    ['ours, with the screen’s ticks', ours(p, SEED, 1000)],
    ['naive setTimeout chain', naive(p, SEED)],
  ] as const) {
    rows.push([
      name,
      length,
      scheduler,
      String(f.stalls),
      `${f.played}/${f.passed} of ${f.cues}`,
      s(f.maxLateMs),
      s(f.driftMs),
    ]);
  }

  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? 0;
  for (const [scheduler, tickMs] of [
    ['ours', null],
    ['ours, with the screen’s ticks', 1000],
  ] as const) {
    const oursDrift: number[] = [];
    let exceeded = 0;
    for (let k = 0; k < SEEDS_FOR_WORST_CASE; k++) {
      const o = ours(p, SEED + k, tickMs);
      oursDrift.push(o.driftMs);
      if (o.driftMs > o.lastFireLateMs) exceeded++;
    }
    worst.push([
      name,
      scheduler,
      s(median(oursDrift)),
      s(Math.max(...oursDrift)),
      `${exceeded} of ${SEEDS_FOR_WORST_CASE}`,
    ]);
  }
  const naiveDrift: number[] = [];
  for (let k = 0; k < SEEDS_FOR_WORST_CASE; k++) naiveDrift.push(naive(p, SEED + k).driftMs);
  worst.push([name, 'naive setTimeout chain', s(median(naiveDrift)), s(Math.max(...naiveDrift)), '—']);
}

function table(lines: string[][]): string {
  const widths = (lines[0] ?? []).map((_, c) => Math.max(...lines.map((l) => (l[c] ?? '').length)));
  return lines
    .map((l) =>
      l
        .map((cell, c) => cell.padEnd(widths[c] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

console.log(
  `Timer fires late by 0–${MAX_LATE_MS} ms (seeded), and about 1 in ${STALL_EVERY} stalls ${STALL_MS[0] / 1000}–${STALL_MS[1] / 1000} s more. Seed ${SEED}.\n`,
);
console.log(table(rows));
console.log('');
console.log(table(worst));
