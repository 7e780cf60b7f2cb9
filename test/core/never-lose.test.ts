import { describe, expect, it } from 'vitest';
import { memoryStore, type KeyValueStore } from '../../core/base/kv';
import { quarantineValue, readQuarantine } from '../../core/base/quarantine';
import { createSession, end, serialiseSession, start } from '../../core/engine/session';
import { encodeStart } from '../../core/engine/session-record';
import { decodeResponse } from '../../core/link/protocol';
import { sessionsCsv } from '../../core/log/csv';
import { sessionsFhirBundle } from '../../core/log/fhir';
import { encodeSessionLog, repairSessionLog, toPlain, type SessionLog } from '../../core/log/session-log';
import { openHistory } from '../../core/phone/history';
import { handleRequest } from '../../core/phone/side-handler';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { openOutbox } from '../../core/watch/outbox';
import { WATCH_QUARANTINE_KEY } from '../../core/watch/prescription';
import { settleRunning } from '../../core/watch/running';
import { moveBrightness, SCREEN_KEYS, type BrightnessControl } from '../../core/watch/screen';
import { takeHandback } from '../../core/watch/service';
import { validateR4 } from '../support/fhir';
import { Crash, FaultyStore } from '../support/faulty-store';
import { DAY, makeLog, seededRandom } from '../support/sync-fixtures';

/**
 * The cases in which clocks, zones and damage lost, doubled or hid a log, or left the patient's screen
 * changed: each as a real watch or phone leaves things. The expected values are worked by hand from the
 * calendar (a UTC instant and an offset give a local day) and from the rules in docs/sync.md.
 */

const NOW = Date.UTC(2026, 11, 7, 15);
const push = (store: KeyValueStore, logs: readonly SessionLog[], now = NOW) =>
  handleRequest(store, { v: 1, type: 'logs.push', logs: logs.map(toPlain) }, now, '1.2.0');

function pushAnswer(answer: unknown): {
  accepted: string[];
  known: string[];
  rejected: { id: string | null; reason: string }[];
} {
  const decoded = decodeResponse(answer, 'logs.push');
  if (!decoded.ok) throw new Error(`not an answer: ${JSON.stringify(answer)}`);
  return decoded.value as never;
}

/** A watch whose battery ran flat: its clock reads 1 January 1970 when the session starts. */
function resetClockLog(utcOffsetMin: number): SessionLog {
  const fine = makeLog(seededRandom(11), 0, { utcOffsetMin, pain: undefined });
  const log = repairSessionLog({ ...toPlain(fine), startedAt: 0, endedAt: fine.endedAt - fine.startedAt });
  if (!log) throw new Error('not repaired');
  return log;
}

describe('acknowledged logs are never lost to the calendar', () => {
  it('a log from a watch whose clock was reset to 1970, at UTC−5, is stored and listed on 2019-12-31', () => {
    const log = resetClockLog(-300);
    // Repaired to the earliest instant a log holds, 2020-01-01T00:00Z: at UTC−5 that is 2019-12-31 19:00.
    expect(log.startedAt).toBe(Date.UTC(2020, 0, 1));
    const store = memoryStore();
    expect(pushAnswer(push(store, [log])).accepted).toEqual([log.id]);
    const history = openHistory(store, { now: NOW });
    expect(history.all().map((l) => l.id)).toEqual([log.id]);
    expect(history.months()).toEqual(['2019-12']);
    const csv = sessionsCsv(history.all());
    expect(csv).toContain(`2019-12-31T19:00:00-05:00`);
    expect(csv).toContain(log.id);
    const fhir = JSON.stringify(sessionsFhirBundle(history.all(), NOW, 60));
    expect(fhir).toContain(log.id);
  });

  it('a log with every field at its lower bound, at UTC−12, is stored and listed', () => {
    const base = makeLog(seededRandom(12), Date.UTC(2020, 0, 1), { utcOffsetMin: -720, pain: undefined });
    const log: SessionLog = {
      ...base,
      endedAt: base.startedAt,
      activeMs: 0,
      pausedMs: 0,
      pauses: 0,
      roundsDone: 0,
      roundsPlanned: 1,
      stepsSkipped: 0,
      routineVersion: 1,
      outcome: 'interrupted',
    };
    const store = memoryStore();
    expect(pushAnswer(push(store, [log])).accepted).toEqual([log.id]);
    expect(
      openHistory(store, { now: NOW })
        .all()
        .map((l) => l.id),
    ).toEqual([log.id]);
  });

  it("today's logs are stored and listed when the phone's clock is three years behind", () => {
    const behind = NOW - 3 * 365 * DAY;
    const log = makeLog(seededRandom(13), NOW - 3_600_000);
    const store = memoryStore();
    expect(pushAnswer(push(store, [log], behind)).accepted).toEqual([log.id]);
    expect(
      openHistory(store, { now: behind })
        .all()
        .map((l) => l.id),
    ).toEqual([log.id]);
  });
});

/** A session the session page finished at `endAt`, its start record written at `offset`. */
function finishedSession(startAt: number, offset: number, startText?: string) {
  const created = createSession(DEFAULT_PRESCRIPTION);
  if (!created.ok) throw new Error('session');
  const started = start(created.value, startAt);
  if (!started.ok) throw new Error('start');
  const ended = end(started.value.session, startAt + 120_000);
  if (!ended.ok) throw new Error('end');
  return {
    'session.current': serialiseSession(ended.value.session),
    'session.started':
      startText ??
      encodeStart({
        logId: '0mwzk8qo0-abcdefghjk',
        startedAt: startAt,
        utcOffsetMin: offset,
        prescription: DEFAULT_PRESCRIPTION,
      }),
  };
}

/** Settles the running keys once, killed before the write `killAt` (0-based), at the given zone. */
function settleKilled(store: FaultyStore, utcOffsetMin: number, killAt: number | null, now: number): void {
  let writes = 0;
  const killing: KeyValueStore = {
    get: (k) => store.get(k),
    set: (k, v) => {
      if (writes++ === killAt) throw new Crash(`killed before writing ${k}`);
      store.set(k, v);
    },
    remove: (k) => {
      if (writes++ === killAt) throw new Crash(`killed before removing ${k}`);
      store.remove(k);
    },
  };
  try {
    settleRunning(killing, 'any', { now, utcOffsetMin, appVersion: '1.2.0' });
  } catch (e) {
    if (!(e instanceof Crash)) throw e;
  }
}

function outboxLogs(store: KeyValueStore, now: number): SessionLog[] {
  return openOutbox(store, { now })
    .outbox.pending()
    .map((p) => p.log);
}

describe('one session, one log', () => {
  // 30 November 23:30 UTC: 1 December at UTC+1, still 30 November at UTC−5.
  const startAt = Date.UTC(2026, 10, 30, 23, 30);

  it('a re-log after a kill between the outbox and clearing the keys, with the zone changed, is the same bytes', () => {
    const store = new FaultyStore(Math.random);
    for (const [k, v] of Object.entries(finishedSession(startAt, 60))) store.set(k, v);
    // The outbox append is three writes (slot, index, recent days); the kill falls on the first removal.
    settleKilled(store, 60, 3, startAt + 200_000);
    const first = outboxLogs(store, startAt + 200_000);
    expect(first).toHaveLength(1);
    settleKilled(store, -300, null, startAt + 400_000);
    const second = outboxLogs(store, startAt + 400_000);
    expect(second.map(encodeSessionLog)).toEqual(first.map(encodeSessionLog));
    expect(second[0]?.utcOffsetMin).toBe(60);
  });

  it('a damaged start record and the same kill still give one id, and the service’s end reading lands on it', () => {
    const store = new FaultyStore(Math.random);
    for (const [k, v] of Object.entries(finishedSession(startAt, 60, '{"logId":"0mwzk8qo0-abc')))
      store.set(k, v);
    settleKilled(store, 60, 4, startAt + 200_000);
    const first = outboxLogs(store, startAt + 200_000);
    expect(first).toHaveLength(1);
    // The damaged text was kept whole before anything replaced it.
    expect(readQuarantine(store, WATCH_QUARANTINE_KEY).items.map((i) => i.raw)).toContain(
      '{"logId":"0mwzk8qo0-abc',
    );
    // The App Service finished the session and handed back its end reading under the id it derived.
    expect(
      takeHandback(store, { logId: first[0]!.id, hrEnd: 88 }, { now: startAt + 300_000, utcOffsetMin: -300 }),
    ).toBe(true);
    settleKilled(store, -300, null, startAt + 400_000);
    const second = outboxLogs(store, startAt + 400_000);
    expect(second.map((l) => l.id)).toEqual(first.map((l) => l.id));
    expect(second[0]?.hrEnd).toBe(88);
    expect(second[0]?.utcOffsetMin).toBe(60);
  });

  it('a kill between clearing the two running keys logs the session again as interrupted: the outbox keeps the copy that records more', () => {
    const store = new FaultyStore(Math.random);
    for (const [k, v] of Object.entries(finishedSession(startAt, 60))) store.set(k, v);
    // Writes: the outbox's slot, index and recent days, then the running state removed; the kill falls
    // before the start record is removed, which then reads as a session whose state was lost.
    settleKilled(store, 60, 4, startAt + 200_000);
    const first = outboxLogs(store, startAt + 200_000);
    expect(first.map((l) => l.outcome)).toEqual(['ended_early']);
    settleKilled(store, 60, null, startAt + 400_000);
    expect(outboxLogs(store, startAt + 400_000).map(encodeSessionLog)).toEqual(first.map(encodeSessionLog));
    expect(store.get('session.started')).toBeUndefined();
  });

  it('the phone finds a known id in another month: an older watch’s re-log at a new offset is not stored twice', () => {
    const log = makeLog(seededRandom(14), startAt, { utcOffsetMin: 60, pain: undefined });
    const moved: SessionLog = { ...log, utcOffsetMin: -300 };
    const store = memoryStore();
    expect(pushAnswer(push(store, [log])).accepted).toEqual([log.id]);
    const second = pushAnswer(push(store, [moved]));
    expect(second.accepted).toEqual([]);
    expect(second.known).toEqual([log.id]);
    expect(
      openHistory(store, { now: NOW })
        .all()
        .map((l) => l.id),
    ).toEqual([log.id]);
  });
});

describe('parts: a missing part never hides the parts after it', () => {
  const november = Date.UTC(2026, 10, 2, 15);
  const logs = Array.from({ length: 9 }, (_, i) =>
    makeLog(seededRandom(20 + i), november + i * DAY, { pain: undefined }),
  );
  /** Three parts of three logs each in November. */
  function threeParts(): KeyValueStore {
    const store = memoryStore();
    const history = openHistory(store, { now: NOW, partSize: 3 });
    for (const log of logs) history.append(log);
    expect(store.get('history.m.2026-11.2')).toBeDefined();
    return store;
  }

  it('part 1 missing: the logs of part 2 are listed, and a resend of one is known', () => {
    const store = threeParts();
    store.remove('history.m.2026-11.1');
    const history = openHistory(store, { now: NOW, partSize: 3 });
    const ids = history.all().map((l) => l.id);
    for (const log of logs.slice(6)) expect(ids).toContain(log.id);
    expect(history.append(logs[7]!)).toEqual({ ok: true, value: 'known' });
    expect(history.all()).toHaveLength(6);
  });

  it('part 0 missing: the month is listed with its other parts', () => {
    const store = threeParts();
    store.remove('history.m.2026-11.0');
    const history = openHistory(store, { now: NOW, partSize: 3 });
    expect(history.months()).toEqual(['2026-11']);
    expect(history.all().map((l) => l.id)).toEqual(logs.slice(3).map((l) => l.id));
  });
});

describe('a different copy of a known id is never dropped without a word', () => {
  it('the copy that records more of the session is kept, the other kept whole aside, and the watch is told', () => {
    const interrupted = makeLog(seededRandom(30), NOW - 3_600_000, {
      outcome: 'interrupted',
      roundsDone: 1,
      pain: undefined,
    });
    const completed: SessionLog = {
      ...interrupted,
      outcome: 'completed',
      roundsDone: 3,
      endedAt: interrupted.endedAt + 120_000,
      activeMs: interrupted.activeMs + 120_000,
    };
    const store = memoryStore();
    push(store, [interrupted]);
    const answer = push(store, [completed]) as unknown as Record<string, unknown>;
    expect(answer.known).toEqual([completed.id]);
    expect(answer.conflicts).toEqual([
      {
        id: completed.id,
        kept: 'sent',
        reason: expect.stringMatching(/outcome/) as unknown as string,
      },
    ]);
    const history = openHistory(store, { now: NOW });
    expect(history.all()).toEqual([completed]);
    expect(history.conflicts().map((c) => c.raw)).toEqual([encodeSessionLog(interrupted)]);
    // The older copy sent again changes nothing, and is said to conflict again.
    const again = push(store, [interrupted]) as unknown as Record<string, unknown>;
    expect(again.known).toEqual([completed.id]);
    expect((again.conflicts as { kept: string }[])[0]?.kept).toBe('stored');
    expect(openHistory(store, { now: NOW }).all()).toEqual([completed]);
    expect(openHistory(store, { now: NOW }).conflicts()).toHaveLength(1);
  });
});

class Screen implements BrightnessControl {
  levelNow = 70;
  autoNow = true;
  sets: number[] = [];
  constructor(
    private readonly reads: { level?: unknown; auto?: unknown } = {},
    private readonly killOn?: 'set' | 'setAuto',
  ) {}
  level(): number {
    return ('level' in this.reads ? this.reads.level : this.levelNow) as number;
  }
  auto(): boolean {
    return ('auto' in this.reads ? this.reads.auto : this.autoNow) as boolean;
  }
  set(level: number): void {
    if (this.killOn === 'set') throw new Crash('killed in setBrightness');
    this.sets.push(level);
    this.levelNow = level;
  }
  setAuto(auto: boolean): void {
    if (this.killOn === 'setAuto') throw new Crash('killed in setAutoBrightness');
    this.autoNow = auto;
  }
}

describe("the patient's screen is always given back", () => {
  it.each([
    ['undefined', undefined],
    ['NaN', NaN],
    ['55.5', 55.5],
    ['150', 150],
    ['"55"', '55'],
    ['-5', -5],
  ])('getBrightness() giving %s: the screen is not dimmed and nothing is stored', (_, level) => {
    const store = memoryStore();
    const screen = new Screen({ level });
    const moved = moveBrightness(store, screen, 'dim', NOW);
    expect(moved.ok).toBe(false);
    expect(screen.sets).toEqual([]);
    expect(screen.autoNow).toBe(true);
    expect(store.get(SCREEN_KEYS.userBrightness)).toBeUndefined();
  });

  it('getAutoBrightness() giving undefined: the screen is not dimmed', () => {
    const store = memoryStore();
    const screen = new Screen({ auto: undefined });
    expect(moveBrightness(store, screen, 'dim', NOW).ok).toBe(false);
    expect(screen.sets).toEqual([]);
    expect(store.get(SCREEN_KEYS.userBrightness)).toBeUndefined();
  });

  it('a damaged record gives back a safe setting: auto brightness on', () => {
    const store = memoryStore({ [SCREEN_KEYS.userBrightness]: '{"level":7' });
    const screen = new Screen();
    screen.autoNow = false;
    screen.levelNow = 10;
    moveBrightness(store, screen, 'user', NOW);
    expect(screen.autoNow).toBe(true);
    expect(store.get(SCREEN_KEYS.userBrightness)).toBeUndefined();
    expect(readQuarantine(store, WATCH_QUARANTINE_KEY).items.map((i) => i.raw)).toEqual(['{"level":7']);
  });

  it('a damaged record with a full quarantine: auto brightness on, and the record is not dropped', () => {
    const store = memoryStore({ [SCREEN_KEYS.userBrightness]: '{"level":7' });
    for (let i = 0; i < 200; i++)
      quarantineValue(store, WATCH_QUARANTINE_KEY, { key: 'x', raw: 'x', reason: 'x', at: 0 });
    const screen = new Screen();
    screen.autoNow = false;
    moveBrightness(store, screen, 'user', NOW);
    expect(screen.autoNow).toBe(true);
    expect(store.get(SCREEN_KEYS.userBrightness)).toBe('{"level":7');
  });

  it.each(['set', 'setAuto'] as const)(
    'killed inside the give-back (in %s): the next launch still gives it back',
    (killOn) => {
      const store = memoryStore();
      // The patient's own setting is auto on at level 70: the page lowers it to 10, auto off.
      moveBrightness(store, new Screen(), 'dim', NOW);
      const killed = new Screen({}, killOn);
      killed.levelNow = 10;
      killed.autoNow = false;
      // The kill stops the give-back where it falls (core catches what the platform throws).
      try {
        expect(moveBrightness(store, killed, 'user', NOW).ok).toBe(false);
      } catch (e) {
        if (!(e instanceof Crash)) throw e;
      }
      expect(killed.autoNow).toBe(false);
      const next = new Screen();
      next.levelNow = 10;
      next.autoNow = false;
      moveBrightness(store, next, 'user', NOW);
      expect(next.levelNow).toBe(70);
      expect(next.autoNow).toBe(true);
      expect(store.get(SCREEN_KEYS.userBrightness)).toBeUndefined();
    },
  );

  it('storage full when dimming: no dimming and no exception', () => {
    const full: KeyValueStore = {
      get: () => undefined,
      set: () => {
        throw new Error('storage full');
      },
      remove: () => undefined,
    };
    const screen = new Screen();
    const moved = moveBrightness(full, screen, 'dim', NOW);
    expect(moved.ok).toBe(false);
    expect(screen.sets).toEqual([]);
  });
});

describe('free text reaches the exports checked', () => {
  const base = makeLog(seededRandom(40), NOW - DAY, { pain: undefined });

  it('a repair sentence that looks like a formula is a plain cell in the CSV', () => {
    const log: SessionLog = { ...base, repairs: ['=HYPERLINK("http://evil.example","x")'] };
    const store = memoryStore();
    push(store, [log]);
    const row = sessionsCsv(openHistory(store, { now: NOW }).all()).split('\r\n')[1] as string;
    expect(row).not.toMatch(/,"?=HYPERLINK/);
    expect(row).toContain(`'=HYPERLINK`);
  });

  it.each([
    ['a line separator', 'pausedMs was long\u2028=1+1'],
    ['a NUL', 'pausedMs\u0000 was long'],
    ['a lone surrogate', 'pausedMs was \ud800 long'],
    ['a tab', 'pausedMs\twas long'],
  ])('%s in repairs is replaced where it enters, said so, and the FHIR Bundle is valid R4', (_, text) => {
    const log: SessionLog = { ...base, repairs: [text] };
    const store = memoryStore();
    expect(pushAnswer(push(store, [log])).accepted).toEqual([log.id]);
    const stored = openHistory(store, { now: NOW }).all();
    const repairs = stored[0]?.repairs ?? [];
    // Iterated by code point: a character below U+0020, a line separator, or half a surrogate pair.
    const unfit = [...repairs.join(' ')].filter(
      (c) => c < ' ' || c === '\u2028' || (c.length === 1 && c >= '\ud800' && c <= '\udfff'),
    );
    expect(unfit).toEqual([]);
    expect(repairs.some((r) => /replaced/.test(r))).toBe(true);
    const findings = validateR4(sessionsFhirBundle(stored, NOW, 60));
    expect(findings).toEqual({ structure: [], schema: [] });
  });

  it('a record already holding 10 repairs keeps the newest one, named', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `earlier change ${i}.`);
    const fine = makeLog(seededRandom(41), NOW - DAY, { pain: undefined });
    const log = repairSessionLog({ ...toPlain(fine), repairs: ten, pauses: -4 });
    expect(log).not.toBeNull();
    expect(log!.repairs).toHaveLength(10);
    expect(log!.repairs!.join(' ')).toMatch(/pauses/);
  });
});

describe('one unreadable entry of a request is refused alone', () => {
  it('an entry that throws while being read is rejected, and the good logs beside it are stored', () => {
    const good = makeLog(seededRandom(50), NOW - DAY, { pain: undefined });
    const hostile = {
      get id(): string {
        throw new Error('boom');
      },
    };
    const store = memoryStore();
    const answer = handleRequest(
      store,
      { v: 1, type: 'logs.push', logs: [toPlain(good), hostile] },
      NOW,
      '1.2.0',
    );
    const decoded = pushAnswer(answer);
    expect(decoded.accepted).toEqual([good.id]);
    expect(decoded.rejected).toMatchObject([{ id: null, index: 1 }]);
    expect(decoded.rejected[0]?.reason).toMatch(/could not be read/);
  });
});
