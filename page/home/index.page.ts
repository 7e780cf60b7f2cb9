import { push } from '@zos/router';
import { homeModel, logOfRunning } from '../../core/screens/home-model';
import { homeView, type HomeAction } from '../../core/screens/home';
import { openOutbox } from '../../core/watch/outbox';
import { decodeResponse, PROTOCOL_VERSION } from '../../core/link/protocol';
import { quarantineValue } from '../../core/base/quarantine';
import { readRunning, RUNNING_KEYS } from '../../core/engine/session-record';
import { sessionLogId } from '../../core/log/session-log';
import type { Summary } from '../../core/log/stats';
import { buildTimeline } from '../../core/engine/timeline';
import { loadPrescription, WATCH_QUARANTINE_KEY } from '../../core/watch/prescription';
import { readPrescriptionPush } from '../../core/link/prescription-push';
import { adoptPhoneRecord } from '../../core/watch/edits';
import { APP_VERSION } from '../lib/app-version';
import { screenLayout, t, watchClock, watchStore } from '../lib/platform';
import { createRenderer } from '../lib/render';
import { exchangePrescription, replanReminders } from '../lib/reminders';
import { send, startSync, type Requester } from '../lib/sync';
import { messagingPage, type PageShell } from '../lib/mount';

/** Home: today against the target, the plan, Start, "Feel the cues", and what is still to send. */
function homePage(request: Requester): PageShell {
  const store = watchStore();
  const clock = watchClock();
  const layout = screenLayout();
  let phone: Summary | null = null;
  const running = () =>
    readRunning(store.get(RUNNING_KEYS.current), store.get(RUNNING_KEYS.started), (at) =>
      sessionLogId(at, Math.random),
    );

  const render = (): void => {
    const now = clock.now();
    const { prescription } = loadPrescription(store, now);
    const timeline = buildTimeline(prescription);
    if (!timeline.ok) return;
    const { outbox } = openOutbox(store, { now });
    const model = homeModel({
      timeline: timeline.value,
      prescription,
      outbox: outbox.status(),
      recentDays: outbox.recentDays(),
      phone,
      running: running(),
      now,
      utcOffsetMin: clock.utcOffsetMin(),
    });
    renderer.render(homeView(model, layout, t));
  };

  /** Keeps a session the patient will not resume (or one that finished unrecorded) as its log. */
  const settleRunning = (): void => {
    const now = clock.now();
    const current = running();
    if (current.type === 'corrupt') {
      for (const key of [RUNNING_KEYS.current, RUNNING_KEYS.started]) {
        const raw = store.get(key);
        if (raw !== undefined)
          quarantineValue(store, WATCH_QUARANTINE_KEY, { key, raw, reason: current.reason, at: now });
        store.remove(key);
      }
      return;
    }
    const log = logOfRunning(current, APP_VERSION, clock.utcOffsetMin());
    if (log?.ok && openOutbox(store, { now }).outbox.append(log.value).ok) {
      store.remove(RUNNING_KEYS.current);
      store.remove(RUNNING_KEYS.started);
      sync.kick('session_logged');
    }
  };

  const sync = startSync(request, store, () => clock.now(), render);
  const renderer = createRenderer((action) => {
    switch (action as HomeAction) {
      case 'start':
      case 'resume':
        // The session page resumes a stored session and starts one otherwise.
        return push({ url: 'page/session/index.page' });
      case 'cues':
        return push({ url: 'page/cues/index.page' });
      case 'reminders':
        return push({ url: 'page/reminders/index.page' });
      case 'discard':
        settleRunning();
        return render();
    }
  });

  const prescriptionChanged = (): void => {
    render();
    replanReminders(store, clock);
  };

  /** The phone's prescription (used from the next session) and today's summary, when it is reachable. */
  const askPhone = (): void => {
    // Sends a reminder change made on the watch first, if one is pending; else fetches the phone's.
    void exchangePrescription(request, store, () => clock.now(), prescriptionChanged);
    send(request, {
      v: PROTOCOL_VERSION,
      type: 'summary.get',
      now: clock.now(),
      utcOffsetMin: clock.utcOffsetMin(),
    }).then(
      (body) => {
        const answer = decodeResponse(body, 'summary.get');
        if (answer.ok) {
          phone = answer.value.summary;
          render();
        }
      },
      () => undefined,
    );
  };

  return {
    start() {
      // A session that already ended but was never cleared is logged now, silently; one cut short is offered.
      if (running().type === 'finished' || running().type === 'corrupt') settleRunning();
      render();
      sync.kick('app_started');
      askPhone();
      // Back from a session the day's target may be met: today's remaining reminders are dropped.
      replanReminders(store, clock);
    },
    stop() {
      sync.stop();
      renderer.clear();
    },
    /** The phone pushed a prescription saved in the Settings App: used from the next session. */
    received(data) {
      const record = readPrescriptionPush(data);
      if (record && adoptPhoneRecord(store, record, clock.now())) prescriptionChanged();
    },
  };
}

messagingPage((request) => homePage(request));
