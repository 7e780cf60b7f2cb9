import { describe, expect, it } from 'vitest';
import { memoryStore, type KeyValueStore } from '../../core/base/kv';
import { mount } from '../../core/base/program';
import { RUNNING_KEYS } from '../../core/engine/running-keys';
import { sessionProgram, type SessionFlowEffect } from '../../core/engine/session-flow';
import { decodeResponse, encodeLogBatch } from '../../core/link/protocol';
import { encodeSessionLog, toPlain, type SessionLog } from '../../core/log/session-log';
import { openHistory } from '../../core/phone/history';
import { handleRequest } from '../../core/phone/side-handler';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { openOutbox } from '../../core/watch/outbox';
import { readRunningKeys, settleRunning } from '../../core/watch/running';
import {
  moveBrightness,
  SCREEN_KEYS,
  type Brightness,
  type BrightnessControl,
} from '../../core/watch/screen';
import { logFinished, RUNNER_KEY } from '../../core/watch/service';
import { Crash } from '../support/faulty-store';
import { HOUR, seededRandom } from '../support/sync-fixtures';
import { drawClock, nearMonthEnd, zoneChange, type Clock, type ClockKind } from '../support/world';

/**
 * A kill at every write point of every flow a session's log passes through, in a generated world: the
 * session page's finish, the logging of it (by the summary, or by the resume page after a relaunch),
 * the sync to the phone (the phone's writes and the watch's acknowledgement), and the brightness
 * given back. Each run draws the world (when the session starts, near a month's end or not; the watch's
 * clock right, reset to 1970, ahead, behind or thrown back; the offset at the start and another, across
 * a month's end, when the page that logs it opens; the phone's clock; a start record damaged or not),
 * then kills each flow once at a write point (runs take the points in turn, so every point is killed
 * many times), and lets the next launch carry on, as the watch would. Checked after each run:
 *   - the watch's outbox, then the phone's history, hold the session once, as the same bytes each time
 *     it was logged (id, offset and day fixed at its start), with its end heart rate;
 *   - the outbox is empty once the phone has it; nothing is left in the running keys;
 *   - the patient's brightness is back as it was (or, where its record was damaged, auto brightness on).
 */
const RUNS = Number(process.env.KILL_RUNS ?? 600);
const T_NOW = Date.UTC(2026, 11, 7, 12);
const PHONE_VERSION = '1.2.0';

/** A store whose `killAt`-th write (0-based) is the one the process dies before: it does not happen. */
class KillingStore implements KeyValueStore {
  writes = 0;
  killAt: number | null = null;
  constructor(readonly inner: KeyValueStore) {}
  get(key: string): string | undefined {
    return this.inner.get(key);
  }
  set(key: string, value: string): void {
    this.before(key);
    this.inner.set(key, value);
  }
  remove(key: string): void {
    this.before(key);
    this.inner.remove(key);
  }
  private before(key: string): void {
    if (this.writes++ === this.killAt) throw new Crash(`killed before writing ${key}`);
  }
  /** Counts the writes of `body` from here, and kills at the `at`-th of them. */
  arm(at: number | null): void {
    this.writes = 0;
    this.killAt = at;
  }
}

/** Runs `body`; a kill ends it where it fell (the process died): false. */
function survives(body: () => void): boolean {
  try {
    body();
    return true;
  } catch (e) {
    if (e instanceof Crash) return false;
    throw e;
  }
}

/**
 * The session page, as far as storage goes (page/session `interpret`): writes what the flow persists
 * (the running state; the start record with each heart rate reading kept), and at the finish forgets
 * who ran the session.
 */
function sessionPage(store: KeyValueStore, opening: Parameters<typeof sessionProgram>[0]) {
  let armed: number | null = null;
  let finished = false;
  const interpret = (e: SessionFlowEffect): void => {
    if (e.type === 'persist') store.set(e.key, e.text);
    else if (e.type === 'finish') {
      finished = true;
      store.remove(RUNNER_KEY);
    }
  };
  // The one timer, as the session's subscriptions ask for it (the keys and the sensor: not used here).
  const run = mount(sessionProgram(opening), interpret, undefined, {
    wake: ({ at }) => {
      armed = at;
      return () => {
        if (armed === at) armed = null;
      };
    },
    keys: () => () => undefined,
    heartRate: () => () => undefined,
  });
  return {
    get finished() {
      return finished;
    },
    get armed() {
      return armed;
    },
    wake(now: number) {
      armed = null;
      run.dispatch({ type: 'wake', now });
    },
    heartRate(now: number, bpm: number) {
      run.dispatch({ type: 'heartRate', now, bpm });
    },
  };
}

/**
 * Sends every pending log to the phone and acknowledges what it took, until the outbox is empty: the
 * phone killed at its `kills.phone`-th write of the first request, the watch at its `kills.watch`-th
 * write of the first acknowledgement. Returns which kills fell (a point past a flow's writes falls
 * nowhere).
 */
function sync(
  watch: KillingStore,
  phone: KillingStore,
  phoneNow: number,
  kills: { phone: number | null; watch: number | null },
  now: number,
): { phone: boolean; acked: boolean } {
  const fell = { phone: false, acked: false };
  let ackArmed = false;
  for (let round = 0; round < 10; round++) {
    const pending = openOutbox(watch, { now }).outbox.pending();
    if (pending.length === 0) return fell;
    const kill = round === 0 ? kills.phone : null;
    phone.arm(kill);
    const answer = handleRequest(
      phone,
      encodeLogBatch(pending.map((p) => toPlain(p.log))),
      phoneNow,
      PHONE_VERSION,
    );
    const killed = kill !== null && phone.writes > kill;
    phone.arm(null);
    // The phone's Side Service killed while storing (the handler turns the throw into an answer the dead
    // process never sends): the watch hears nothing and sends again.
    if (killed) {
      fell.phone = true;
      continue;
    }
    const decoded = decodeResponse(answer, 'logs.batch');
    if (!decoded.ok) throw new Error(`the phone answered ${JSON.stringify(answer)}`);
    const taken = new Set([...decoded.value.accepted, ...decoded.value.known]);
    const ackKill = ackArmed ? null : kills.watch;
    ackArmed = true;
    watch.arm(ackKill);
    survives(() => {
      openOutbox(watch, { now }).outbox.acknowledge(
        pending.filter((p) => taken.has(p.id)).map((p) => ({ id: p.id, rev: p.rev })),
      );
    });
    if (ackKill !== null && watch.writes > ackKill) fell.acked = true;
    watch.arm(null);
  }
  throw new Error('the outbox never emptied');
}

/** The display as the platform keeps it: what getBrightness and getAutoBrightness give back. */
class Display implements BrightnessControl {
  constructor(
    public lvl: number,
    public autoOn: boolean,
  ) {}
  level(): number {
    return this.lvl;
  }
  auto(): boolean {
    return this.autoOn;
  }
  set(level: number): void {
    this.lvl = level;
  }
  setAuto(auto: boolean): void {
    this.autoOn = auto;
  }
}

const CLOCKS: readonly ClockKind[] = ['right', 'reset', 'ahead', 'behind', 'jumpBack'];

describe('a kill at every write point of every flow, in a generated world', () => {
  it(`${RUNS} runs: every session logged once, as the same bytes, reaches the phone once; every screen given back`, () => {
    const random = seededRandom(7);
    /** Kills that fell, per flow and write point (a kill past a flow's last write falls nowhere). */
    const killed: Record<string, number[]> = {
      finish: [],
      logging: [],
      phone: [],
      acknowledge: [],
      brightness: [],
    };
    const note = (flow: string, at: number, fell: boolean) => {
      const row = killed[flow]!;
      if (fell) row[at] = (row[at] ?? 0) + 1;
    };
    const counts = {
      clocks: Object.fromEntries(CLOCKS.map((k) => [k, 0])) as Record<ClockKind, number>,
      monthEnds: 0,
      zoneChanges: 0,
      damagedStarts: 0,
      relogged: 0,
    };

    for (let run = 0; run < RUNS; run++) {
      // The world of this run.
      const atMonthEnd = random() < 0.6;
      const t0 = atMonthEnd ? nearMonthEnd(random, T_NOW, 3) : T_NOW - Math.floor(random() * 400 * 24 * HOUR);
      if (atMonthEnd) counts.monthEnds++;
      const clock: Clock = drawClock(random, t0, 0.4);
      counts.clocks[clock.kind]++;
      const { before, after } = zoneChange(random, t0);
      const month = (offset: number) => new Date(t0 + offset * 60_000).toISOString().slice(0, 7);
      if (month(before) !== month(after)) counts.zoneChanges++;
      const phoneClock = drawClock(random, t0, 0.3);
      const damageStart = random() < 0.25;
      const watch = new KillingStore(memoryStore());
      const phone = new KillingStore(memoryStore());
      const trace = `run ${run}: start ${new Date(t0).toISOString()} on a ${clock.kind} clock, offset ${before} → ${after}${damageStart ? ', start record damaged' : ''}`;

      // The session page runs the whole default session, the heart rate read at its start and end.
      const started = clock.read(t0);
      const page = sessionPage(watch, {
        running: readRunningKeys(watch),
        prescription: DEFAULT_PRESCRIPTION,
        now: started,
        utcOffsetMin: before,
        haptics: 'sequence',
        random,
      });
      page.heartRate(started + 5_000, 72);
      if (damageStart) {
        // Damage from outside: the start record, the id's only home, no longer reads.
        watch.inner.set(RUNNING_KEYS.started, '{"logId":"0mx');
        counts.damagedStarts++;
      }
      let now = started;
      let endWritten = false;
      while (page.armed !== null) {
        const at: number = page.armed;
        if (at - started > 3 * 60_000) page.heartRate(at - 1_000, 64);
        now = at;
        // The last wake, the finish: killed at one of its writes (the finished state, the end reading,
        // the runner forgotten).
        const last = readRunningKeys(watch);
        const nearEnd =
          last.type === 'resumable' && last.session.nextCue >= last.session.timeline.cues.length - 1;
        if (nearEnd) {
          const point = run % 3;
          watch.arm(point);
          const fell = !survives(() => page.wake(at));
          watch.arm(null);
          note('finish', point, fell);
          // Its writes: the finished state, the start record with the end reading, the runner forgotten.
          endWritten = !fell || point >= 2;
          if (fell) break;
        } else page.wake(at);
      }

      // The next page to open after it (the summary, or after a kill home and the resume page), at the
      // new offset, with the watch's clock moved on: logs it, killed at one write point, then again.
      const logAt = now + 60_000;
      const logPoint = Math.floor(run / 3) % 9;
      /** One page's logging, at this offset and time, killed at the `kill`-th write: whether the kill fell. */
      const logOnce = (offset: number, at: number, kill: number | null): boolean => {
        watch.arm(kill);
        const done = survives(() => {
          const running = readRunningKeys(watch);
          if (running.type === 'resumable') {
            // Killed before its finished state was stored: the relaunch resumes it and it finishes.
            const again = sessionPage(watch, {
              running,
              prescription: DEFAULT_PRESCRIPTION,
              now: at,
              utcOffsetMin: offset,
              haptics: 'sequence',
              random,
            });
            while (again.armed !== null) again.wake(Math.max(again.armed, at));
          }
          if (random() < 0.5) logFinished(watch, { now: at, utcOffsetMin: offset, appVersion: '1.2.0' });
          else settleRunning(watch, 'stale', { now: at, utcOffsetMin: offset, appVersion: '1.2.0' });
        });
        watch.arm(null);
        return !done;
      };
      note('logging', logPoint, logOnce(after, logAt, logPoint));
      const logged = () =>
        openOutbox(watch, { now: logAt })
          .outbox.pending()
          .map((p) => encodeSessionLog(p.log));
      const firstCopy = logged();
      // Launched again, the zone changed once more: whatever the first attempt left is settled.
      const { after: later } = zoneChange(random, t0);
      logOnce(later, logAt + HOUR, null);
      const copies = logged();
      expect(copies, `${trace}: the outbox holds the session once`).toHaveLength(1);
      if (firstCopy.length > 0) {
        counts.relogged++;
        if (copies[0] !== firstCopy[0]) {
          const a = JSON.parse(firstCopy[0]!) as Record<string, unknown>;
          const b = JSON.parse(copies[0]!) as Record<string, unknown>;
          const diff = Object.keys({ ...a, ...b }).filter(
            (k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]),
          );
          throw new Error(
            `${trace}: logged again, not the same bytes: ${diff.map((k) => `${k} ${JSON.stringify(a[k])} → ${JSON.stringify(b[k])}`).join('; ')}`,
          );
        }
      }
      expect(watch.get(RUNNING_KEYS.current), `${trace}: running keys cleared`).toBeUndefined();
      const log = JSON.parse(copies[0]!) as SessionLog;
      // Fixed at the start: the offset of its start record, and so its day. A damaged start record is
      // written whole again by the finish when it has an end reading to keep; killed before that, the
      // first page that logs the session gives it one (its offset then: the same bytes from there on, as
      // checked above), and the readings are not measured: nothing is made up.
      const ownStart = !damageStart || endWritten;
      if (ownStart) expect(log.utcOffsetMin, trace).toBe(before);
      else expect([after, later], trace).toContain(log.utcOffsetMin);
      expect(log.hrStart, trace).toBe(ownStart ? 72 : undefined);
      expect(log.hrEnd, trace).toBe(endWritten ? 64 : undefined);

      // To the phone: a kill in its storing, then one in the watch's acknowledgement.
      const phonePoint = run % 4;
      const ackPoint = Math.floor(run / 4) % 4;
      const synced = sync(
        watch,
        phone,
        phoneClock.read(t0),
        { phone: phonePoint, watch: ackPoint },
        logAt + 2 * HOUR,
      );
      note('phone', phonePoint, synced.phone);
      note('acknowledge', ackPoint, synced.acked);
      const stored = openHistory(phone, { now: phoneClock.read(t0) }).all();
      expect(stored.map(encodeSessionLog), `${trace}: on the phone once, the same bytes`).toEqual(copies);
      expect(openOutbox(watch, { now: logAt }).outbox.pending(), trace).toEqual([]);

      // The screen: lowered for the session, given back at its end; a kill at one step of either (a
      // storage write or a change of the display, counted together), then the next launch gives back.
      const own = new Display(Math.floor(random() * 101), random() < 0.5);
      const display = new Display(own.lvl, own.autoOn);
      const screenStore = memoryStore();
      const damagedRecord = random() < 0.1;
      const point = run % 6;
      let step = 0;
      const tick = (what: string) => {
        if (step++ === point) throw new Crash(`killed before ${what}`);
      };
      const killingStore: KeyValueStore = {
        get: (k) => screenStore.get(k),
        set: (k, v) => (tick(`writing ${k}`), screenStore.set(k, v)),
        remove: (k) => (tick(`removing ${k}`), screenStore.remove(k)),
      };
      const killing: BrightnessControl = {
        level: () => display.level(),
        auto: () => display.auto(),
        set: (level) => (tick('setBrightness'), display.set(level)),
        setAuto: (auto) => (tick('setAutoBrightness'), display.setAuto(auto)),
      };
      let damaged = false;
      for (const want of ['dim', 'user'] as Brightness[]) {
        survives(() => void moveBrightness(killingStore, killing, want, now));
        // Killed (core turns the platform's throw into an error the dead process never acts on).
        if (step > point) {
          note('brightness', point, true);
          break;
        }
        if (want === 'dim' && damagedRecord && screenStore.get(SCREEN_KEYS.userBrightness) !== undefined) {
          // Damage from outside while the session runs: the record of the patient's setting no longer reads.
          screenStore.set(SCREEN_KEYS.userBrightness, '{"level":');
          damaged = true;
        }
      }
      moveBrightness(screenStore, display, 'user', now);
      expect(
        screenStore.get(SCREEN_KEYS.userBrightness),
        `${trace}: brightness record forgotten`,
      ).toBeUndefined();
      // A record that no longer reads gives back the safe setting; otherwise the patient's own.
      if (damaged) expect(display.autoOn, `${trace}: auto brightness on`).toBe(true);
      else
        expect({ level: display.lvl, auto: display.autoOn }, `${trace}: the patient's screen`).toEqual({
          level: own.lvl,
          auto: own.autoOn,
        });
    }

    for (const kind of CLOCKS) expect(counts.clocks[kind], kind).toBeGreaterThan(RUNS / 30);
    for (const [flow, row] of Object.entries(killed)) {
      expect(row.length, `${flow}: write points killed`).toBeGreaterThan(1);
      for (const n of row) expect(n ?? 0, `${flow}: every write point killed`).toBeGreaterThan(0);
    }
    console.log(
      `kill points: ${RUNS} runs; watch clocks ${JSON.stringify(counts.clocks)}; ${counts.monthEnds} sessions near a month's end, ` +
        `a zone change between start and logging in every run (${counts.zoneChanges} of them across a month's end), and again before a second launch; ${counts.damagedStarts} start records damaged; ` +
        `kills per write point ${Object.entries(killed)
          .map(([flow, row]) => `${flow} [${row.map((n) => n ?? 0).join(', ')}]`)
          .join(
            ', ',
          )}; ${counts.relogged} sessions logged again after a kill: 0 lost, 0 twice, 0 screens left changed`,
    );
  });
});
