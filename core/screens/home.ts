import type { Translate } from '../base/i18n';
import type { KeyValueStore } from '../base/kv';
import type { Program, Step } from '../base/program';
import type { Route } from '../base/routes';
import { dayOf } from '../log/session-log';
import { lookup, streak } from '../log/stats';
import type { Prescription } from '../plan/prescription';
import { sessionMs } from '../plan/routine';
import { peekOutbox, sessionsOn, type OutboxPeek, type RecentDay } from '../watch/outbox-peek';
import { phoneToday, readPhoneDay, type PhoneDay } from '../watch/phone-day';
import { loadPrescription } from '../watch/prescription';
import { fit } from './fit';
import type { Layout } from './layout';
import { appTitle, COLOR, styledButton, type View, type Widget } from './widgets';

/**
 * What the home screen needs to know, read from the watch's storage alone: home talks to nobody. The
 * phone's part (today's count and the streak as the phone knows them) is what the last page that
 * reached the phone kept (core/watch/phone-day).
 */
export interface HomeModel {
  readonly plan: { readonly rounds: number; readonly totalMs: number };
  readonly today: { readonly done: number; readonly target: number };
  /** Consecutive days with a session, today or yesterday included. */
  readonly streak: number;
  /** Logs still waiting for the phone's acknowledgement; null when the outbox's index does not read. */
  readonly unsent: number | null;
  readonly outboxFull: boolean;
  /** The daily reminder times ("HH:MM"); absent when unknown. */
  readonly reminders?: readonly string[];
}

/** What home's buttons carry: the page each opens above home (Start asks the question first). */
export type HomeEvent = { readonly type: 'open'; readonly page: 'before' | 'cues' | 'reminders' };

/** "about 4 min": whole minutes, never "about 0". */
export const planMinutes = (totalMs: number): number => Math.max(1, Math.round(totalMs / 60_000));

export function homeView(model: HomeModel, layout: Layout, t: Translate): View<HomeEvent> {
  const { font, ring } = layout;
  const buttonH = Math.round(font.body * 2.1);
  const done = Math.min(model.today.done, model.today.target);
  const todaySweep = model.today.target > 0 ? (360 * done) / model.today.target : 0;
  const widgets: Widget<HomeEvent>[] = [
    // The ring is today's target: closed when the day's sessions are done.
    { type: 'arc', id: 'today-track', ring, from: 0, to: 360, color: COLOR.track },
    ...(todaySweep > 0
      ? [{ type: 'arc', id: 'today-done', ring, from: 0, to: todaySweep, color: COLOR.accent } as const]
      : []),
    appTitle(layout, t('app.name')),
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
  const button = (
    id: string,
    page: HomeEvent['page'],
    text: string,
    at: number,
    primary: boolean,
  ): Widget<HomeEvent> =>
    styledButton(id, { type: 'open', page }, text, layout.button(at, buttonH, 0.7), font.body, primary);
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
      msg: { type: 'open', page: 'reminders' },
    },
    button('start', 'before', t('home.start'), 0.59, true),
    button('cues', 'cues', t('home.cues'), 0.735, false),
  );
  const unsent = model.unsent ?? 0;
  if (model.outboxFull || unsent > 0) {
    widgets.push({
      type: 'text',
      id: 'unsent',
      box: layout.rowAt(0.855, font.small * 1.3),
      text: model.outboxFull ? t('home.full') : t('home.unsent', { count: unsent }),
      size: font.small,
      color: model.outboxFull ? COLOR.warning : COLOR.muted,
    });
  }
  return fit(widgets);
}

export interface HomeInputs {
  readonly prescription: Prescription;
  /** What the outbox's own keys say, read without the outbox (core/watch/outbox-peek). */
  readonly outbox: OutboxPeek;
  /** What the phone last said of the patient's day; null when no page has heard it. */
  readonly phone: PhoneDay | null;
  readonly now: number;
  readonly utcOffsetMin: number;
}

/**
 * Today's count is the larger of the phone's and the watch's own: the phone may not have this morning's
 * log yet, and the watch forgets days it has long sent. The streak likewise: the phone knows the whole
 * history, the watch only its recent days, enough while the phone is away.
 */
export function homeModel(i: HomeInputs): HomeModel {
  const today = dayOf(i.now, i.utcOffsetMin);
  const recentDays: readonly RecentDay[] = i.outbox.recentDays;
  const own = sessionsOn(recentDays, today).counted;
  const phone = phoneToday(i.phone, today, own);
  const ownStreak = streak(lookup(new Map(recentDays.map((d) => [d.date, d]))), today);
  const queue = i.outbox.queue;
  return {
    plan: { rounds: i.prescription.rounds, totalMs: sessionMs(i.prescription) },
    today: { done: Math.max(own, phone.today), target: i.prescription.sessionsPerDay },
    streak: Math.max(ownStreak, phone.streak),
    unsent: queue ? queue.pending : null,
    outboxFull: queue?.level === 'full',
    reminders: i.prescription.reminders,
  };
}

/** What the home screen shows now, read from the watch's storage (the prescription as loaded is always a valid one). */
export function readHome(
  store: KeyValueStore,
  clock: { readonly now: number; readonly utcOffsetMin: number },
): HomeModel {
  const { now, utcOffsetMin } = clock;
  return homeModel({
    prescription: loadPrescription(store, now).prescription,
    outbox: peekOutbox(store),
    phone: readPhoneDay(store),
    now,
    utcOffsetMin,
  });
}

// ---- the page as a program ------------------------------------------------------------------------

export type HomeEffect =
  { readonly type: 'replanReminders' } | { readonly type: 'open'; readonly route: Route };

/**
 * The home page as a program. With a session stored (cut short, finished but not logged, or run by the
 * App Service) it gives way at once to the page that decides about it (page/resume): home carries none
 * of the code that reads one. Otherwise it keeps nothing between events: what it shows is read from
 * storage each time it draws.
 */
export function homeProgram(sessionStored: boolean): Program<null, HomeEvent, HomeEffect> {
  return {
    init: {
      model: null,
      effects: sessionStored
        ? [{ type: 'open', route: { page: 'resume' } }]
        : // Back from a session the day's target may be met: today's remaining reminders are dropped.
          [{ type: 'replanReminders' }],
    },
    update: updateHome,
  };
}

export function updateHome(state: null, event: HomeEvent): Step<null, HomeEffect> {
  // Start asks the pain rating before the first round first (page/before, which then opens the
  // session page).
  return { model: state, effects: [{ type: 'open', route: { page: event.page, above: true } }] };
}
