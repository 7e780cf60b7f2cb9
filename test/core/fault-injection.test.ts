import { describe, expect, it } from 'vitest';
import { runSimulation, type LinkFaults, type SimulationResult } from '../support/link';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';

const RUNS = 1000;

function faultsFor(seed: number): LinkFaults {
  // Vary the weather per run: some links are nearly clean, some are awful.
  const harsh = seed % 4 === 0;
  return {
    dropRequest: harsh ? 0.3 : 0.05,
    dropResponse: harsh ? 0.3 : 0.05,
    duplicate: harsh ? 0.2 : 0.05,
    maxDelayMs: seed % 5 === 0 ? 90_000 : 3_000,
    watchCrash: harsh ? 0.01 : 0.002,
    phoneCrash: harsh ? 0.01 : 0.002,
  };
}

function check(result: SimulationResult, endConnected: boolean) {
  const phoneIds = result.phone.map((l) => l.id);
  const stored = new Set(phoneIds);
  // Zero stored twice.
  expect(phoneIds.length).toBe(stored.size);
  // Nothing on the phone that the watch did not log.
  for (const id of stored) expect(result.logged.has(id)).toBe(true);
  // Zero lost: every log is on the phone, or still waiting on the watch (or, after a crash
  // mid-append with no restart since, held by the session to be logged again).
  const waiting = new Set([...result.pendingOnWatch, ...result.heldBySession].map((l) => l.id));
  for (const id of result.logged.keys()) expect(stored.has(id) || waiting.has(id)).toBe(true);
  expect(result.rejectedOnWatch).toBe(0);
  if (endConnected) {
    expect(result.pendingOnWatch).toEqual([]);
    expect(result.heldBySession).toEqual([]);
    // The phone holds the final version of each log, pain amendments included.
    const byId = new Map(result.phone.map((l) => [l.id, l]));
    for (const [id, log] of result.logged) expect(byId.get(id)).toEqual(log);
  }
}

describe('sync under a hostile link (seeded, simulated clock)', () => {
  it(`loses nothing and stores nothing twice over ${RUNS} runs`, () => {
    const totals: Record<string, number> = {};
    let sessions = 0;
    for (let seed = 1; seed <= RUNS; seed++) {
      const endConnected = seed % 5 !== 0;
      const result = runSimulation({
        seed,
        sessions: 5 + (seed % 16),
        days: 2 + (seed % 7),
        faults: faultsFor(seed),
        endConnected,
        // A third of the runs start with the phone still on 1.0 for the first half.
        ...(seed % 3 === 0 ? { phoneOn1_0ForMs: ((2 + (seed % 7)) * 86_400_000) / 2 } : {}),
        // A quarter of the runs use a prescription the phone does not hold: it asks for it whole.
        ...(seed % 4 === 2
          ? { prescription: { ...DEFAULT_PRESCRIPTION, rounds: 4, strength: 'strong' } }
          : {}),
      });
      check(result, endConnected);
      sessions += result.logged.size;
      for (const [k, v] of Object.entries(result.counters)) totals[k] = (totals[k] ?? 0) + v;
    }
    // The faults really happened, in numbers: otherwise this test proves nothing.
    expect(sessions).toBeGreaterThan(10_000);
    for (const fault of [
      'drop.request',
      'drop.response',
      'timeout',
      'link.down',
      'side.restart',
      'phone.crash',
      'watch.crash',
      'response.stale',
      'lost.in.transit',
      'phone.1.0',
      'prescription.needed',
    ]) {
      expect(totals[fault] ?? 0, fault).toBeGreaterThan(30);
    }
  });

  it('is deterministic for a seed', () => {
    const options = { seed: 42, sessions: 20, days: 5, faults: faultsFor(4), endConnected: true };
    const a = runSimulation(options);
    const b = runSimulation(options);
    expect(a.counters).toEqual(b.counters);
    expect(a.phone).toEqual(b.phone);
  });
});
