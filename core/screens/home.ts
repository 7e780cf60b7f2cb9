import type { Translate } from '../base/i18n';
import type { KeyValueStore } from '../base/kv';
import type { Program, Step } from '../base/program';
import {
  decodeAnswer,
  PROTOCOL_VERSION,
  readSummaryAnswer,
  type PrescriptionRecord,
  type Request,
} from '../link/protocol';
import { readPrescriptionPush } from '../link/prescription-push';
import { dayOf } from '../log/session-log';
import { lookup, streak, type Summary } from '../log/stats';
import type { Prescription } from '../plan/prescription';
import { sessionMs } from '../plan/routine';
import { openOutbox, sessionsOn, type OutboxStatus, type RecentDay } from '../watch/outbox';
import { loadPrescription } from '../watch/prescription';
import { fit } from './fit';
import type { Layout } from './layout';
import { COLOR, styledButton, type View, type Widget } from './widgets';

/** What the home screen needs to know; the page gathers it from the outbox, the phone and storage. */
export interface HomeModel {
  readonly plan: { readonly rounds: number; readonly totalMs: number };
  readonly today: { readonly done: number; readonly target: number };
  /** Consecutive days with a session, today or yesterday included. */
  readonly streak: number;
  /** Logs still waiting for the phone's acknowledgement. */
  readonly unsent: number;
  readonly outboxFull: boolean;
  /** The daily reminder times ("HH:MM"); absent when unknown. */
  readonly reminders?: readonly string[];
}

export type HomeAction = 'start' | 'cues' | 'reminders';

/** "about 4 min": whole minutes, never "about 0". */
export const planMinutes = (totalMs: number): number => Math.max(1, Math.round(totalMs / 60_000));

export function homeView(model: HomeModel, layout: Layout, t: Translate): View {
  const { font, ring } = layout;
  const buttonH = Math.round(font.body * 2.1);
  const done = Math.min(model.today.done, model.today.target);
  const todaySweep = model.today.target > 0 ? (360 * done) / model.today.target : 0;
  const widgets: Widget[] = [
    // The ring is today's target: closed when the day's sessions are done.
    { type: 'arc', id: 'today-track', ring, from: 0, to: 360, color: COLOR.track },
    ...(todaySweep > 0
      ? [{ type: 'arc', id: 'today-done', ring, from: 0, to: todaySweep, color: COLOR.accent } as const]
      : []),
    {
      type: 'text',
      id: 'title',
      box: layout.rowAt(0.2, font.title * 1.3),
      text: t('app.name'),
      size: font.title,
      color: COLOR.text,
    },
    {
      type: 'text',
      id: 'plan',
      box: layout.rowAt(0.3, font.body * 1.3),
      text: t('home.plan', { rounds: model.plan.rounds, minutes: planMinutes(model.plan.totalMs) }),
      size: font.body,
      color: COLOR.muted,
    },
    {
      type: 'text',
      id: 'today',
      box: layout.rowAt(0.39, font.body * 1.3),
      // A streak is worth showing from the second day on.
      text:
        model.streak >= 2
          ? t('home.todayStreak', { done: model.today.done, target: model.today.target, days: model.streak })
          : t('home.today', { done: model.today.done, target: model.today.target }),
      size: font.body,
      color: model.today.done >= model.today.target ? COLOR.accent : COLOR.text,
    },
  ];
  const button = (id: string, action: HomeAction, text: string, at: number, primary: boolean): Widget =>
    styledButton(id, action, text, layout.button(at, buttonH, 0.7), font.body, primary);
  const times = model.reminders ?? [];
  widgets.push(
    // A small button under today's count: when the reminders ring, and the way to change them.
    {
      type: 'button',
      id: 'reminders',
      box: layout.button(0.475, Math.round(font.small * 1.6), 0.7),
      text: times.length > 0 ? t('home.reminders', { times: times.join(', ') }) : t('home.remindersOff'),
      size: font.small,
      color: COLOR.muted,
      background: COLOR.background,
      pressed: COLOR.buttonPressed,
      action: 'reminders',
    },
    button('start', 'start', t('home.start'), 0.59, true),
    button('cues', 'cues', t('home.cues'), 0.735, false),
  );
  if (model.outboxFull || model.unsent > 0) {
    widgets.push({
      type: 'text',
      id: 'unsent',
      box: layout.rowAt(0.855, font.small * 1.3),
      text: model.outboxFull ? t('home.full') : t('home.unsent', { count: model.unsent }),
      size: font.small,
      color: model.outboxFull ? COLOR.warning : COLOR.muted,
    });
  }
  return fit(widgets);
}

export interface HomeInputs {
  readonly prescription: Prescription;
  readonly outbox: OutboxStatus;
  readonly recentDays: readonly RecentDay[];
  /** The phone's summary when it answered; null while it is away. */
  readonly phone: Summary | null;
  readonly now: number;
  readonly utcOffsetMin: number;
}

/**
 * Today's count is the larger of the phone's and the watch's own: the phone may not have this morning's
 * log yet, and the watch forgets days it has long sent.
 */
export function homeModel(i: HomeInputs): HomeModel {
  const today = dayOf(i.now, i.utcOffsetMin);
  const own = sessionsOn(i.recentDays, today).counted;
  const phone = i.phone && i.phone.date === today ? i.phone.today : 0;
  // The phone knows the whole history; the watch only its recent days, enough while the phone is away.
  const ownStreak = streak(lookup(new Map(i.recentDays.map((d) => [d.date, d]))), today);
  const phoneStreak = i.phone && i.phone.date === today ? i.phone.streak : 0;
  return {
    plan: { rounds: i.prescription.rounds, totalMs: sessionMs(i.prescription) },
    today: { done: Math.max(own, phone), target: i.prescription.sessionsPerDay },
    streak: Math.max(ownStreak, phoneStreak),
    unsent: i.outbox.pending,
    outboxFull: i.outbox.level === 'full',
    reminders: i.prescription.reminders,
  };
}

/**
 * What the home screen shows now, read from the watch's storage (the prescription as loaded is always
 * a valid one), with the phone's summary when it answered.
 */
export function readHome(
  store: KeyValueStore,
  clock: { readonly now: number; readonly utcOffsetMin: number },
  phone: Summary | null,
): HomeModel {
  const { now, utcOffsetMin } = clock;
  const { prescription } = loadPrescription(store, now);
  const { outbox } = openOutbox(store, { now });
  return homeModel({
    prescription,
    outbox: outbox.status(),
    recentDays: outbox.recentDays(),
    phone,
    now,
    utcOffsetMin,
  });
}

// ---- the page as a program ------------------------------------------------------------------------

/** What the home page keeps between events; the rest it reads from storage each time it draws. */
export interface HomeState {
  /** The phone's summary of the days, once it answered; null while it is away. */
  readonly phone: Summary | null;
}

export type HomeEvent =
  /** A button of the home view. */
  | { readonly type: 'tap'; readonly action: string }
  /** The phone's answer to summary.get. */
  | { readonly type: 'summary'; readonly body: unknown }
  /** What the phone pushed with zml `call` (a prescription saved in the Settings App). */
  | { readonly type: 'pushed'; readonly data: unknown }
  /** The watch's copy of the prescription changed. */
  | { readonly type: 'prescriptionChanged' }
  /** The outbox changed (the phone acknowledged logs). */
  | { readonly type: 'outboxChanged' };

export type HomeEffect =
  /** Feed the outbox's sync loop. */
  | { readonly type: 'sync'; readonly event: 'app_started' }
  /** Send a change made on the watch if one waits, else fetch the phone's prescription. */
  | { readonly type: 'exchangePrescription' }
  /** Ask the phone; its answer comes back as a `summary` event. */
  | { readonly type: 'askSummary'; readonly message: Request }
  | { readonly type: 'replanReminders' }
  | { readonly type: 'adopt'; readonly record: PrescriptionRecord }
  | { readonly type: 'navigate'; readonly url: string; readonly params?: string };

/** What the summary page reads as "ask before the session" (core/screens/summary `BEFORE_PARAMS`). */
const START_PARAMS = '{"before":true}';

const PAGES: { readonly [A in HomeAction]: string } = {
  start: 'page/summary/index.page',
  cues: 'page/cues/index.page',
  reminders: 'page/reminders/index.page',
};

/**
 * The home page as a program, opened at `now` with the watch's UTC offset. It runs only when no session
 * is stored: the page opens page/resume instead when the running keys hold anything (core/screens/resume).
 */
export function homeProgram(opened: {
  readonly now: number;
  readonly utcOffsetMin: number;
}): Program<HomeState, HomeEvent, HomeEffect> {
  return {
    init: {
      model: { phone: null },
      effects: [
        { type: 'sync', event: 'app_started' },
        // The phone's prescription (used from the next session) and today's summary, when it is reachable.
        { type: 'exchangePrescription' },
        { type: 'askSummary', message: { v: PROTOCOL_VERSION, type: 'summary.get', ...opened } },
        // Back from a session the day's target may be met: today's remaining reminders are dropped.
        { type: 'replanReminders' },
      ],
    },
    update: updateHome,
  };
}

export function updateHome(state: HomeState, event: HomeEvent): Step<HomeState, HomeEffect> {
  const none = { model: state, effects: [] };
  switch (event.type) {
    case 'tap': {
      // Start asks the pain rating before the first round first (the summary page, which then opens the
      // session page).
      if (event.action === 'start')
        return { model: state, effects: [{ type: 'navigate', url: PAGES.start, params: START_PARAMS }] };
      const url = PAGES[event.action as keyof typeof PAGES];
      return url ? { model: state, effects: [{ type: 'navigate', url }] } : none;
    }
    case 'summary': {
      const answer = decodeAnswer(event.body, 'summary.get', readSummaryAnswer);
      return answer.ok ? { model: { phone: answer.value.summary }, effects: [] } : none;
    }
    case 'pushed': {
      const record = readPrescriptionPush(event.data);
      return record ? { model: state, effects: [{ type: 'adopt', record }] } : none;
    }
    case 'prescriptionChanged':
      return { model: state, effects: [{ type: 'replanReminders' }] };
    case 'outboxChanged':
      return none;
  }
}
