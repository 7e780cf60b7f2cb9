import { describe, expect, it } from 'vitest';
import { memoryStore } from '../../../core/base/kv';
import { readQuarantine } from '../../../core/base/quarantine';
import { createSession, serialiseSession, start } from '../../../core/engine/session';
import { encodeStart, logOfRunning } from '../../../core/engine/session-record';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { openOutbox } from '../../../core/watch/outbox';
import { keepLog, settleRunning } from '../../../core/watch/running';
import { makeLog, seededRandom } from '../../support/sync-fixtures';

const NOW = Date.UTC(2026, 10, 25, 16, 0);
const OFFSET = 60;
const CONTEXT = { now: NOW, utcOffsetMin: OFFSET, appVersion: '1.0.0', random: () => 0.5 };
// The running keys as the watch stores them (the session page writes them, home and relaunch read them).
const CURRENT = 'session.current';
const STARTED = 'session.started';

describe('logOfRunning: what a session the app lost is logged as', () => {
  const session = createSession(DEFAULT_PRESCRIPTION);
  if (!session.ok) throw new Error('session');
  const started = start(session.value, NOW - 60_000);
  if (!started.ok) throw new Error('start');

  it('logs a session given up as interrupted, where it was last seen', () => {
    const log = logOfRunning(
      { type: 'resumable', session: started.value.session, logId: 'mhz3k2w00-abcdefghjk' },
      '1.0.0',
      OFFSET,
    );
    expect(log?.ok && log.value).toMatchObject({
      id: 'mhz3k2w00-abcdefghjk',
      outcome: 'interrupted',
      startedAt: NOW - 60_000,
      endedAt: NOW - 60_000,
    });
  });

  it('logs a lost session from its start record, claiming no rounds and no time', () => {
    const log = logOfRunning(
      {
        type: 'lost',
        start: {
          logId: 'mhz3k2w00-abcdefghjk',
          startedAt: NOW,
          utcOffsetMin: OFFSET,
          prescription: DEFAULT_PRESCRIPTION,
        },
        reason: 'x',
      },
      '1.0.0',
      OFFSET,
    );
    expect(log?.ok && log.value).toMatchObject({
      outcome: 'interrupted',
      roundsDone: 0,
      activeMs: 0,
      utcOffsetMin: OFFSET,
    });
  });

  it('has nothing to log when nothing was running or nothing could be read', () => {
    expect(logOfRunning({ type: 'none' }, '1.0.0', OFFSET)).toBeNull();
    expect(logOfRunning({ type: 'corrupt', reason: 'x' }, '1.0.0', OFFSET)).toBeNull();
  });
});

describe('keepLog: the outbox before the running keys', () => {
  const log = makeLog(seededRandom(3), NOW - 300_000);

  it('stores the log, then clears the running keys', () => {
    const store = memoryStore({ [CURRENT]: '{"running":1}', [STARTED]: '{"started":1}' });
    const writes: string[] = [];
    const watched = {
      get: store.get,
      set: (k: string, v: string) => (writes.push(`set ${k.split('.')[0]}`), store.set(k, v)),
      remove: (k: string) => (writes.push(`remove ${k}`), store.remove(k)),
    };
    expect(keepLog(watched, log, NOW)).toBe(true);
    expect(
      openOutbox(store, { now: NOW })
        .outbox.pending()
        .map((p) => p.id),
    ).toEqual([log.id]);
    // Every outbox write comes before the first running key goes.
    const firstRemove = writes.findIndex((w) => w.startsWith('remove'));
    expect(writes.slice(0, firstRemove).every((w) => w === 'set outbox')).toBe(true);
    expect(writes.slice(firstRemove)).toEqual([`remove ${CURRENT}`, `remove ${STARTED}`]);
    expect(store.dump()).not.toHaveProperty(CURRENT);
  });

  it('keeps the running keys when the outbox cannot take the log', () => {
    const store = memoryStore({ [CURRENT]: 'x', [STARTED]: 'y' });
    const { outbox } = openOutbox(store, { now: NOW });
    const random = seededRandom(9);
    for (let i = 0; i < 100; i++) outbox.append(makeLog(random, NOW - (i + 1) * 3_600_000));
    expect(keepLog(store, log, NOW)).toBe(false);
    expect(store.get(CURRENT)).toBe('x');
    expect(store.get(STARTED)).toBe('y');
  });
});

describe('settleRunning', () => {
  const session = createSession(DEFAULT_PRESCRIPTION);
  if (!session.ok) throw new Error('session');
  const started = start(session.value, NOW - 60_000);
  if (!started.ok) throw new Error('start');
  const startRecord = encodeStart({
    logId: 'mhz3k2w00-abcdefghjk',
    startedAt: NOW - 60_000,
    utcOffsetMin: OFFSET,
    prescription: DEFAULT_PRESCRIPTION,
  });

  it('leaves a resumable session alone when asked for the stale only, and logs it when given up', () => {
    const store = memoryStore({ [CURRENT]: serialiseSession(started.value.session), [STARTED]: startRecord });
    expect(settleRunning(store, 'stale', CONTEXT)).toBe('none');
    expect(store.get(CURRENT)).toBeDefined();
    expect(settleRunning(store, 'any', CONTEXT)).toBe('logged');
    expect(store.get(CURRENT)).toBeUndefined();
    expect(openOutbox(store, { now: NOW }).outbox.pending()[0]?.log).toMatchObject({
      id: 'mhz3k2w00-abcdefghjk',
      outcome: 'interrupted',
    });
  });

  it('quarantines running keys nobody can read, whole, and clears them', () => {
    const store = memoryStore({ [CURRENT]: 'garbage', [STARTED]: 'also garbage' });
    expect(settleRunning(store, 'stale', CONTEXT)).toBe('quarantined');
    expect(store.get(CURRENT)).toBeUndefined();
    expect(readQuarantine(store, 'quarantine').items.map((i) => [i.key, i.raw])).toEqual([
      [CURRENT, 'garbage'],
      [STARTED, 'also garbage'],
    ]);
  });

  it('has nothing to settle when nothing runs', () => {
    expect(settleRunning(memoryStore(), 'any', CONTEXT)).toBe('none');
  });
});
