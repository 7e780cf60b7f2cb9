import { readFileSync } from 'node:fs';
import { memoryStore, type KeyValueStore } from '../../core/base/kv';
import { openHistory } from '../../core/phone/history';
import { openOutbox, type Outbox } from '../../core/watch/outbox';
import type { SessionLog } from '../../core/log/session-log';
import type { Prescription } from '../../core/plan/prescription';
import { handleRequest } from '../../core/phone/side-handler';
import { mount, type Run, type Source, type SubOf } from '../../core/base/program';
import { syncProgram, type SyncEffect, type SyncEvent, type SyncState } from '../../core/watch/sync';
import { DAY, HOUR, makeLog, seededRandom, T0 } from './sync-fixtures';

/**
 * A simulated watch, phone and Bluetooth link on one fake clock, driving the real core: the outbox and
 * sync state machine on the watch, the request handler and history store on the phone. The link drops,
 * duplicates, reorders and delays messages, goes away for long spells; the Side Service restarts; both
 * sides can crash between two storage writes. Nothing here reads a real clock.
 */

export interface LinkFaults {
  readonly dropRequest: number;
  readonly dropResponse: number;
  readonly duplicate: number;
  /** Per-message delay is uniform in [0, maxDelayMs]; above the request timeout it reorders answers. */
  readonly maxDelayMs: number;
  /** Chance that a given storage write crashes the process before it happens. */
  readonly watchCrash: number;
  readonly phoneCrash: number;
}

export interface SimulationOptions {
  readonly seed: number;
  readonly sessions: number;
  readonly days: number;
  readonly faults: LinkFaults;
  /** Whether the run ends with a long connected spell in which the watch app stays open. */
  readonly endConnected: boolean;
  readonly capacity?: number;
  /**
   * The phone's Side Service is still 1.0 until this long after the start: it answers logs.batch as
   * 1.0 does (test/fixtures/format-1.0.0/wire.json), then it is updated.
   */
  readonly phoneOn1_0ForMs?: number;
  /**
   * The prescription the sessions are done with, when not the defaults: the phone does not hold it
   * (its prescription is the defaults), so it asks for it whole until it has stored a log with it.
   */
  readonly prescription?: Prescription;
}

export interface SimulationResult {
  /** Final version of every log the watch logged (pain amendments applied), by id. */
  readonly logged: ReadonlyMap<string, SessionLog>;
  /** Every log on the phone, with duplicates if any were stored. */
  readonly phone: readonly SessionLog[];
  readonly pendingOnWatch: readonly SessionLog[];
  readonly rejectedOnWatch: number;
  /** Logs whose append crashed and that the session module still holds, to log again at next start. */
  readonly heldBySession: readonly SessionLog[];
  readonly counters: Readonly<Record<string, number>>;
}

/** What a 1.0 phone answers to logs.batch, as captured from it. */
const UNKNOWN_TYPE_1_0 = (
  JSON.parse(readFileSync(new URL('../fixtures/format-1.0.0/wire.json', import.meta.url), 'utf8')) as {
    unknownType: unknown;
  }
).unknownType;

class Crash extends Error {}

/** A store whose writes can crash the process: the write that crashes does not happen. */
function crashingStore(inner: KeyValueStore, chance: number, random: () => number) {
  const state = { crashed: false, armed: true };
  const store: KeyValueStore = {
    get: (key) => inner.get(key),
    set: (key, value) => {
      if (state.crashed) throw new Crash('process is dead');
      if (state.armed && random() < chance) {
        state.crashed = true;
        throw new Crash('crash before write');
      }
      inner.set(key, value);
    },
    remove: (key) => {
      if (state.crashed) throw new Crash('process is dead');
      if (state.armed && random() < chance) {
        state.crashed = true;
        throw new Crash('crash before remove');
      }
      inner.remove(key);
    },
  };
  return { store, state };
}

interface Scheduled {
  readonly at: number;
  readonly seq: number;
  readonly run: () => void;
}

/** A binary min-heap of events by time, then insertion order, so equal times replay identically. */
class Agenda {
  private heap: Scheduled[] = [];
  private seq = 0;
  now = T0;
  at(at: number, run: () => void): void {
    const item = { at: Math.max(at, this.now), seq: this.seq++, run };
    const h = this.heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(h[p] as Scheduled, item)) break;
      h[i] = h[p] as Scheduled;
      i = p;
    }
    h[i] = item;
  }
  next(): Scheduled | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (top === undefined || last === undefined) return undefined;
    if (h.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        let best = last;
        if (l < h.length && before(h[l] as Scheduled, best)) [m, best] = [l, h[l] as Scheduled];
        if (r < h.length && before(h[r] as Scheduled, best)) m = r;
        if (m === i) break;
        h[i] = h[m] as Scheduled;
        i = m;
      }
      h[i] = last;
    }
    this.now = top.at;
    return top;
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

export function runSimulation(options: SimulationOptions): SimulationResult {
  const rnd = seededRandom(options.seed);
  const chance = (p: number) => rnd() < p;
  const agenda = new Agenda();
  const counters: Record<string, number> = {};
  const count = (name: string) => void (counters[name] = (counters[name] ?? 0) + 1);
  let faults = options.faults;

  const watchDisk = memoryStore();
  const phoneDisk = memoryStore();
  const watchIo = crashingStore(watchDisk, faults.watchCrash, rnd);
  const phoneIo = crashingStore(phoneDisk, faults.phoneCrash, rnd);

  const logged = new Map<string, SessionLog>();
  /** What the session module would still hold after a crash mid-append: it logs it again on restart. */
  const toRelog = new Map<string, SessionLog>();

  // ---- link and Side Service ----
  let linkUp = true;
  let linkEpoch = 0;
  let sideRunning = true;
  const setLink = (up: boolean) => {
    if (up === linkUp) return;
    linkUp = up;
    linkEpoch++;
    count(up ? 'link.up' : 'link.down');
    // zml rejects every pending request when the link drops.
    if (!up)
      for (const [id, req] of inFlight) settle(id, req.appEpoch, { type: 'failed', reason: 'disconnected' });
  };

  // ---- watch app ----
  let appOpen = false;
  let appEpoch = 0;
  let sync: Run<SyncState, SyncEvent> | undefined;
  let outbox: Outbox | undefined;
  const inFlight = new Map<number, { appEpoch: number }>();

  const watchDied = () => {
    count('watch.crash');
    closeApp();
    watchIo.state.crashed = false;
  };

  const openApp = () => {
    if (appOpen) return;
    count('app.open');
    appOpen = true;
    appEpoch++;
    outbox = openOutbox(watchIo.store, { now: agenda.now, capacity: options.capacity ?? 100 }).outbox;
    const box = outbox;
    // The watch app's sync loop, run exactly as a page runs it: core's program, this interpreter.
    sync = mount(syncProgram({ pending: () => box.pending(), random: rnd }), apply, undefined, { wake });
    if (watchIo.state.crashed) return watchDied();
    for (const log of [...toRelog.values()]) {
      const r = outbox.append(log);
      if (watchIo.state.crashed) return watchDied();
      if (r.ok) toRelog.delete(log.id);
    }
    dispatch({ type: 'app_started', now: agenda.now });
  };

  function closeApp() {
    sync?.stop();
    appOpen = false;
    outbox = undefined;
    inFlight.clear();
  }

  /** The sync loop's timer on the fake clock; stopped (re-armed, or the app closed), it does nothing. */
  const wake: Source<SubOf<'wake'>, SyncEvent> = (sub, fire) => {
    let armed = true;
    agenda.at(sub.at, () => armed && dispatch({ type: 'wake', now: agenda.now }, (e) => fire(e, sub)));
    return () => void (armed = false);
  };

  function dispatch(event: SyncEvent, to = sync?.dispatch) {
    if (!appOpen || !outbox) return;
    count('dispatch.' + event.type);
    to?.(event);
    // A crash in a step with nothing left to carry out (a quarantine write while reading, say).
    if (appOpen && watchIo.state.crashed) watchDied();
  }

  function apply(effect: SyncEffect) {
    // A write that crashed the process (in the update's reads, or the effect before) ends the run here.
    if (watchIo.state.crashed) return watchDied();
    if (!outbox) return;
    switch (effect.type) {
      case 'acknowledge':
        outbox.acknowledge(effect.refs);
        return;
      case 'reject':
        count('rejected');
        outbox.reject(effect.items);
        return;
      case 'send':
        request(effect.requestId, effect.request, effect.timeoutMs);
        return;
    }
  }

  function settle(
    requestId: number,
    epoch: number,
    outcome:
      | { type: 'failed'; reason: 'timeout' | 'disconnected' | 'side_service_closed' }
      | { type: 'response'; body: unknown },
  ) {
    if (epoch !== appEpoch || !appOpen) return;
    // zml settles a request once; later answers find no handler. We let duplicates through to the
    // machine anyway (as if a transport did deliver them) to prove it ignores them.
    const open = inFlight.delete(requestId);
    if (!open && outcome.type === 'failed') return;
    if (!open) count('response.stale');
    dispatch({ ...outcome, requestId, now: agenda.now } as SyncEvent);
  }

  function request(requestId: number, message: object, timeoutMs: number) {
    count('request');
    const epoch = appEpoch;
    inFlight.set(requestId, { appEpoch: epoch });
    if (!linkUp)
      return agenda.at(agenda.now + 50, () =>
        settle(requestId, epoch, { type: 'failed', reason: 'disconnected' }),
      );
    if (!sideRunning) {
      return agenda.at(agenda.now + 200, () =>
        settle(requestId, epoch, { type: 'failed', reason: 'side_service_closed' }),
      );
    }
    agenda.at(agenda.now + timeoutMs, () => {
      if (inFlight.has(requestId)) count('timeout');
      settle(requestId, epoch, { type: 'failed', reason: 'timeout' });
    });
    const sentOn = linkEpoch;
    // What crosses the link is JSON text, as with zml: nothing shared by reference.
    const body = JSON.stringify(message);
    const copies = chance(faults.duplicate) ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      if (chance(faults.dropRequest)) {
        count('drop.request');
        continue;
      }
      agenda.at(agenda.now + rnd() * faults.maxDelayMs, () => {
        if (linkEpoch !== sentOn || !sideRunning) return count('lost.in.transit');
        count('phone.handled');
        const request = JSON.parse(body) as { type?: unknown };
        const on1_0 = agenda.now < T0 + (options.phoneOn1_0ForMs ?? 0) && request.type === 'logs.batch';
        if (on1_0) count('phone.1.0');
        const response = on1_0
          ? UNKNOWN_TYPE_1_0
          : handleRequest(phoneIo.store, request, agenda.now, '1.1.0');
        if (phoneIo.state.crashed) {
          // The Side Service died mid-request: whatever it wrote stays, nothing is answered.
          count('phone.crash');
          phoneIo.state.crashed = false;
          restartSide();
          return;
        }
        if ((response as { code?: unknown }).code === 'prescription_needed') count('prescription.needed');
        const text = JSON.stringify(response);
        const answers = chance(faults.duplicate) ? 2 : 1;
        for (let a = 0; a < answers; a++) {
          if (chance(faults.dropResponse)) {
            count('drop.response');
            continue;
          }
          const back = linkEpoch;
          agenda.at(agenda.now + rnd() * faults.maxDelayMs, () => {
            if (linkEpoch !== back) return count('lost.in.transit');
            settle(requestId, epoch, { type: 'response', body: JSON.parse(text) });
          });
        }
      });
    }
  }

  function restartSide() {
    sideRunning = false;
    count('side.restart');
    agenda.at(agenda.now + 1_000 + rnd() * 60_000, () => (sideRunning = true));
  }

  // ---- the patient's days ----
  const span = options.days * DAY;
  const starts = Array.from({ length: options.sessions }, () => T0 + Math.floor(rnd() * span)).sort(
    (a, b) => a - b,
  );
  let lastStart = 0;
  for (const s of starts) {
    // One session at a time on one watch: keep starts apart.
    const startedAt = Math.max(s, lastStart + 20 * 60_000);
    lastStart = startedAt;
    agenda.at(startedAt, () => {
      openApp();
      const base = makeLog(
        rnd,
        startedAt,
        options.prescription ? { prescription: options.prescription } : {},
      );
      const amendLater = chance(0.4);
      const log: SessionLog = amendLater ? { ...base, pain: undefined } : base;
      agenda.at(log.endedAt, () => {
        if (!appOpen) openApp();
        logSession(log);
        if (amendLater) {
          const pain = Math.floor(rnd() * 11);
          agenda.at(agenda.now + rnd() * 120_000, () => {
            if (!appOpen) openApp();
            logSession({ ...log, pain });
          });
        }
        const stay = rnd() < 0.5 ? rnd() * 60_000 : rnd() * 30 * 60_000;
        agenda.at(agenda.now + stay + 130_000, () => closeApp());
      });
    });
  }

  function logSession(log: SessionLog) {
    logged.set(log.id, log);
    if (!outbox) {
      // The app died opening: the session module keeps the log and logs it at the next start.
      toRelog.set(log.id, log);
      return;
    }
    const r = outbox.append(log);
    if (watchIo.state.crashed || !r.ok) {
      toRelog.set(log.id, log);
      if (watchIo.state.crashed) watchDied();
      return;
    }
    toRelog.delete(log.id);
    dispatch({ type: 'session_logged', now: agenda.now });
  }

  // Idle app opens: the patient glances at the home screen.
  for (let i = 0; i < options.days; i++) {
    agenda.at(T0 + rnd() * span, () => {
      if (appOpen) return;
      openApp();
      agenda.at(agenda.now + rnd() * 5 * 60_000, () => closeApp());
    });
  }

  // Link spells: mostly up, sometimes down for hours, occasionally for days.
  const flap = () => {
    if (agenda.now > T0 + span) return;
    if (linkUp) {
      setLink(false);
      const long = chance(0.1);
      agenda.at(agenda.now + (long ? DAY + rnd() * 3 * DAY : rnd() * 2 * HOUR), flap);
    } else {
      setLink(true);
      agenda.at(agenda.now + rnd() * 6 * HOUR, flap);
    }
  };
  agenda.at(T0 + rnd() * 6 * HOUR, flap);
  for (let i = 0; i < options.days; i++) agenda.at(T0 + rnd() * span, () => sideRunning && restartSide());

  // The end: quiet faults (no more crashes or outages), then either connected with the app open for a
  // day, or cut off.
  const end = T0 + span + 4 * HOUR;
  agenda.at(end, () => {
    watchIo.state.armed = false;
    phoneIo.state.armed = false;
    faults = { ...faults, watchCrash: 0, phoneCrash: 0 };
    if (options.endConnected) {
      setLink(true);
      sideRunning = true;
      openApp();
      // Keep the app open: re-open it whenever a scheduled close fired.
      const keepOpen = () => {
        if (!appOpen) openApp();
        if (agenda.now < end + DAY) agenda.at(agenda.now + 10 * 60_000, keepOpen);
      };
      keepOpen();
    } else {
      setLink(false);
    }
  });

  const stopAt = end + DAY + HOUR;
  for (let e = agenda.next(); e && e.at <= stopAt; e = agenda.next()) {
    if (e.at > end && !options.endConnected && linkUp) setLink(false);
    if (e.at > end && options.endConnected && !linkUp) setLink(true);
    e.run();
  }

  const finalOutbox = openOutbox(watchDisk, { now: agenda.now, capacity: options.capacity ?? 100 }).outbox;
  const history = openHistory(phoneDisk, { now: agenda.now });
  return {
    logged,
    phone: history.all(),
    pendingOnWatch: finalOutbox.pending().map((p) => p.log),
    rejectedOnWatch: finalOutbox.status().rejected,
    heldBySession: [...toRelog.values()],
    counters,
  };
}
