import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAXIMAL_PRESCRIPTION } from '../../../core/plan/prescription';
import {
  decodeSessionLog,
  encodeSessionLog,
  flare,
  heartRateReading,
  painChange,
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
      painBefore: 10,
      pain: 10,
      hrStart: 250,
      hrEnd: 250,
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

describe("today's logs (app 1.0.0, before pain before and heart rate)", () => {
  // Byte for byte the record documented in docs/sync.md for version 1.0.0, as watches hold it in their
  // outbox and phones in their history today.
  const TODAY =
    '{"v":1,"id":"0mww6xfk0-qrq382sh1c","routineId":"spinal-self-traction","routineVersion":1,' +
    '"prescription":{"rounds":3,"sweeps":3,"holdBreaths":3,"inhaleSec":4,"exhaleSec":6,"setupSec":10,' +
    '"lengthenSec":8,"halfSweepSec":3,"returnSec":4,"relaxSec":3,"sessionsPerDay":1,' +
    '"reminders":["15:00"],"strength":"medium"},' +
    '"startedAt":1795615200000,"endedAt":1795615431000,"utcOffsetMin":60,' +
    '"activeMs":201000,"pausedMs":30000,"pauses":1,"roundsDone":3,"roundsPlanned":3,"stepsSkipped":0,' +
    '"outcome":"completed","pain":4,"appVersion":"1.0.0"}';

  it('still read, and encode back to the same bytes', () => {
    const r = decodeSessionLog(TODAY);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(encodeSessionLog(r.value)).toBe(TODAY);
    expect(r.value.painBefore).toBeUndefined();
    expect(r.value.hrStart).toBeUndefined();
    expect(r.value.hrEnd).toBeUndefined();
    expect(flare(r.value)).toBeNull();
  });

  it('read without a pain rating too', () => {
    const unrated = TODAY.replace(',"pain":4', '');
    const r = decodeSessionLog(unrated);
    expect(r.ok && encodeSessionLog(r.value)).toBe(unrated);
  });
});

describe('pain before, heart rate, flare', () => {
  it('round-trips the new fields in their canonical place', () => {
    const full = makeLog(seededRandom(3), T0, { painBefore: 3, pain: 5, hrStart: 72, hrEnd: 64 });
    const text = encodeSessionLog(full);
    expect(text).toContain('"outcome":"' + full.outcome + '","painBefore":3,"pain":5,');
    expect(text).toContain('"hrStart":72,"hrEnd":64,"appVersion"');
    const back = decodeSessionLog(text);
    expect(back.ok && back.value).toEqual(full);
  });

  it('refuses ratings and heart rates out of bounds, naming the bound', () => {
    const r = parseSessionLog({ ...log, painBefore: 11, hrStart: 0, hrEnd: 72.5 });
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.error).toEqual([
        { field: 'painBefore', message: 'painBefore must be 0–10; got 11.' },
        { field: 'hrStart', message: 'hrStart must be 25–250; got 0.' },
        { field: 'hrEnd', message: 'hrEnd must be a whole number.' },
      ]);
  });

  it('takes a sensor value of 0 or out of range as not measured, never as a reading', () => {
    expect([0, -1, 24, 25, 71.6, 250, 251, NaN, Infinity, '72', null].map(heartRateReading)).toEqual([
      undefined,
      undefined,
      undefined,
      25,
      72,
      250,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('flags a flare when pain after reaches 7 or rises by 2 or more', () => {
    const cases: [number | undefined, number | undefined, ReturnType<typeof flare>, number | undefined][] = [
      [3, 5, 'rose', 2],
      [0, 2, 'rose', 2],
      [3, 4, null, 1],
      [6, 7, 'reached', 1],
      [9, 7, 'reached', -2],
      [undefined, 7, 'reached', undefined],
      [undefined, 6, null, undefined],
      [8, undefined, null, undefined],
      [5, 3, null, -2],
    ];
    for (const [painBefore, pain, expected, change] of cases) {
      const l = { painBefore, pain };
      expect([flare(l), painChange(l)]).toEqual([expected, change]);
    }
  });
});
