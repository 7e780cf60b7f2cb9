import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAXIMAL_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  decodeSessionLog,
  encodeSessionLog,
  isSessionLogId,
  localDate,
  parseSessionLog,
  sessionLogId,
  type SessionLog,
} from '../../../core/log/session-log';
import { makeLog, seededRandom, T0 } from '../../support/sync-fixtures';

const log = makeLog(seededRandom(1), T0, { pain: 4 });

describe('session log ids', () => {
  it('are well formed and sort by start time', () => {
    const random = seededRandom(7);
    const a = sessionLogId(T0, random);
    const b = sessionLogId(T0 + 1, random);
    expect(isSessionLogId(a)).toBe(true);
    expect(a < b).toBe(true);
    expect(a.slice(0, 9)).toBe(T0.toString(36).padStart(9, '0'));
  });

  it('do not collide in 100,000 draws at the same millisecond', () => {
    const random = seededRandom(99);
    const ids = new Set(Array.from({ length: 100_000 }, () => sessionLogId(T0, random)));
    expect(ids.size).toBe(100_000);
  });

  it('stay well formed whatever the random source returns', () => {
    for (const r of [0, 0.999999, 1, -3, NaN, Infinity])
      expect(isSessionLogId(sessionLogId(T0, () => r))).toBe(true);
  });
});

describe('session log codec', () => {
  it('round-trips a log, with and without a pain rating', () => {
    expect(decodeSessionLog(encodeSessionLog(log))).toEqual({ ok: true, value: log });
    const { pain: _pain, ...noPain } = log;
    const decoded = decodeSessionLog(encodeSessionLog(noPain as SessionLog));
    expect(decoded.ok && decoded.value.pain).toBe(undefined);
    expect(encodeSessionLog(noPain as SessionLog)).not.toContain('pain');
  });

  it('accepts a null pain as no rating', () => {
    const r = parseSessionLog({ ...JSON.parse(encodeSessionLog(log)), pain: null });
    expect(r.ok && r.value.pain).toBe(undefined);
  });

  it('reports every problem, by field', () => {
    const bad = {
      ...JSON.parse(encodeSessionLog(log)),
      pain: 11,
      outcome: 'finished',
      activeMs: -1,
      extra: 1,
    };
    const r = parseSessionLog(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.map((e) => e.field).sort()).toEqual(['activeMs', 'extra', 'outcome', 'pain']);
  });

  it('refuses other schema versions, non-JSON and non-objects, saying which', () => {
    expect(parseSessionLog({ ...log, v: 2 })).toEqual({
      ok: false,
      error: [{ field: 'v', message: 'Session log version 2 is not supported; this app reads version 1.' }],
    });
    expect(decodeSessionLog('{')).toEqual({
      ok: false,
      error: [{ field: '', message: 'A stored session log is not valid JSON.' }],
    });
    expect(parseSessionLog([1])).toEqual({
      ok: false,
      error: [{ field: '', message: 'A session log must be an object.' }],
    });
  });

  it('refuses more rounds done than planned, and bad prescriptions by their own message', () => {
    expect(parseSessionLog({ ...log, roundsDone: 4, roundsPlanned: 3 }).ok).toBe(false);
    const r = parseSessionLog({ ...log, prescription: { ...log.prescription, rounds: 99 } });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error[0]).toEqual({ field: 'prescription.rounds', message: 'rounds must be 1–6; got 99.' });
  });

  it('keeps the largest possible log small (bounded fields)', () => {
    const big = makeLog(seededRandom(2), T0, {
      prescription: MAXIMAL_PRESCRIPTION,
      routineId: 'a'.repeat(64),
      appVersion: '9'.repeat(32),
      pain: 10,
      pauses: 10_000,
    });
    expect(parseSessionLog(big).ok).toBe(true);
    expect(encodeSessionLog(big).length).toBeLessThan(1000);
  });

  it('dates a session on the local day at its own offset', () => {
    const lateEvening = Date.UTC(2026, 10, 25, 23, 30);
    expect(localDate({ startedAt: lateEvening, utcOffsetMin: 60 })).toBe('2026-11-26');
    expect(localDate({ startedAt: lateEvening, utcOffsetMin: -300 })).toBe('2026-11-25');
  });

  it('never throws on any JSON or text (property, 1,000 runs)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const r = decodeSessionLog(text);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 1000, seed: 11 },
    );
  });

  it('never throws on mutated logs, and accepts only what re-encodes to itself (property, 1,000 runs)', () => {
    const base = JSON.parse(encodeSessionLog(log)) as Record<string, unknown>;
    const keys = Object.keys(base);
    fc.assert(
      fc.property(fc.constantFrom(...keys, 'other'), fc.jsonValue(), (key, value) => {
        const r = parseSessionLog({ ...base, [key]: value });
        if (r.ok) expect(parseSessionLog(JSON.parse(encodeSessionLog(r.value)))).toEqual(r);
        else expect(r.error.every((e) => typeof e.message === 'string' && e.message.length > 0)).toBe(true);
      }),
      { numRuns: 1000, seed: 12 },
    );
  });
});
