import type { Translate } from '../base/i18n';
import type { Layout } from './layout';
import { fit } from './fit';
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
  /** A session was cut short (app closed, watch restarted) and can be resumed or logged. */
  readonly interrupted: boolean;
  /**
   * A finished session's log is still waiting for room in the full outbox. No new session starts until
   * it is stored: a new one would overwrite it, and a log is never given up.
   */
  readonly blocked: boolean;
  /** The daily reminder times ("HH:MM"); absent when unknown. */
  readonly reminders?: readonly string[];
}

export type HomeAction = 'start' | 'cues' | 'resume' | 'discard' | 'reminders';

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
  if (model.interrupted) {
    widgets.push(
      {
        type: 'text',
        id: 'unfinished',
        box: layout.rowAt(0.475, font.small * 1.4),
        text: t('home.unfinished'),
        size: font.small,
        color: COLOR.warning,
      },
      button('resume', 'resume', t('home.resume'), 0.585, true),
      button('discard', 'discard', t('home.discard'), 0.72, false),
    );
  } else if (model.blocked) {
    widgets.push({
      type: 'text',
      id: 'blocked',
      box: layout.rowAt(0.62, font.small * 4.4),
      text: t('home.blocked'),
      size: font.small,
      color: COLOR.warning,
      wrap: true,
    });
  } else {
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
  }
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
