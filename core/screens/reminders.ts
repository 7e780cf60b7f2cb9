import type { Program, Step } from '../base/program';
import type { ExchangeOutcome } from '../watch/edits';
import { fit } from './fit';
import type { Translate } from '../base/i18n';
import type { Layout } from './layout';
import { MAX_REMINDERS, type Prescription } from '../plan/prescription';
import { COLOR, type View, type Widget } from './widgets';

/**
 * The watch's reminders screen: the two daily reminder times, each on or off (tap the time) and shifted
 * in steps of STEP_MIN (- and +); Save applies them on the watch at once and sends them to the phone.
 */
const STEP_MIN = 15;
/** Times a slot shows when it was off: the prescription's default afternoon, and an early evening. */
const SLOT_DEFAULTS = ['15:00', '18:00'] as const;

export interface ReminderSlot {
  readonly on: boolean;
  readonly time: string;
}

export type RemindersStatus =
  | 'idle'
  | 'edited'
  /** Two slots at the same time: not saved. */
  | 'duplicate'
  | 'sending'
  | 'saved'
  /** Saved on the watch; the phone was not reachable and gets it later. */
  | 'pending'
  /** The phone had a newer prescription; it replaced this change. */
  | 'superseded';

export interface RemindersModel {
  readonly slots: readonly [ReminderSlot, ReminderSlot];
  readonly status: RemindersStatus;
}

/** What the reminders screen's buttons carry. */
export type RemindersTap =
  { readonly type: 'toggle' | 'earlier' | 'later'; readonly slot: 0 | 1 } | { readonly type: 'save' };

export type RemindersEvent =
  | RemindersTap
  /**
   * What became of a save: the phone's answer (core/watch/edits), or `refused` when the change was not
   * a valid prescription; with the prescription now in force when there is one.
   */
  | {
      readonly type: 'sent';
      readonly outcome: ExchangeOutcome | 'refused';
      readonly prescription?: Prescription;
    };

export type RemindersEffect = { readonly type: 'save'; readonly reminders: readonly string[] };

/** What the screen says after a save: taken, replaced by the phone's newer one, or waiting for the phone. */
const STATUS_AFTER: { readonly [O in ExchangeOutcome | 'refused']: RemindersStatus } = {
  saved: 'saved',
  superseded: 'superseded',
  refused: 'superseded',
  retry: 'pending',
  fetched: 'pending',
  unchanged: 'pending',
};

/** The reminders page as a program, from the prescription the watch holds. */
export function remindersProgram(p: Prescription): Program<RemindersModel, RemindersEvent, RemindersEffect> {
  return { init: { model: remindersModel(p), effects: [] }, update: updateReminders };
}

export function remindersModel(p: Prescription, status: RemindersStatus = 'idle'): RemindersModel {
  const slot = (n: 0 | 1): ReminderSlot =>
    p.reminders[n] !== undefined
      ? { on: true, time: p.reminders[n]! }
      : { on: false, time: SLOT_DEFAULTS[n] };
  return { slots: [slot(0), slot(1)], status };
}

/** The reminders list the model stands for: the times switched on, sorted, as the prescription keeps them. */
export function remindersOf(model: RemindersModel): string[] {
  return model.slots
    .filter((s) => s.on)
    .map((s) => s.time)
    .sort()
    .slice(0, MAX_REMINDERS);
}

export function shiftTime(time: string, minutes: number): string {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const total = (((h * 60 + m + minutes) % 1440) + 1440) % 1440;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}

export function updateReminders(
  model: RemindersModel,
  event: RemindersEvent,
): Step<RemindersModel, RemindersEffect> {
  const withSlot = (n: 0 | 1, slot: ReminderSlot): RemindersModel => {
    const slots: [ReminderSlot, ReminderSlot] = [model.slots[0], model.slots[1]];
    slots[n] = slot;
    return { slots, status: 'edited' };
  };
  switch (event.type) {
    case 'toggle': {
      const s = model.slots[event.slot];
      return { model: withSlot(event.slot, { ...s, on: !s.on }), effects: [] };
    }
    case 'earlier':
    case 'later': {
      const s = model.slots[event.slot];
      const time = shiftTime(s.time, event.type === 'later' ? STEP_MIN : -STEP_MIN);
      // Shifting a slot that is off switches it on: the patient is plainly setting it.
      return { model: withSlot(event.slot, { on: true, time }), effects: [] };
    }
    case 'save': {
      if (model.status === 'sending') return { model, effects: [] };
      const [a, b] = model.slots;
      if (a.on && b.on && a.time === b.time) return { model: { ...model, status: 'duplicate' }, effects: [] };
      return {
        model: { ...model, status: 'sending' },
        effects: [{ type: 'save', reminders: remindersOf(model) }],
      };
    }
    case 'sent': {
      const status = STATUS_AFTER[event.outcome];
      return {
        model: event.prescription ? remindersModel(event.prescription, status) : { ...model, status },
        effects: [],
      };
    }
  }
}

export function remindersView(model: RemindersModel, layout: Layout, t: Translate): View<RemindersTap> {
  const { font } = layout;
  const rowH = Math.round(font.body * 2);
  const widgets: Widget<RemindersTap>[] = [
    {
      type: 'text',
      id: 'title',
      box: layout.rowAt(0.15, font.body * 1.3),
      text: t('reminders.title'),
      size: font.body,
      color: COLOR.text,
    },
  ];
  model.slots.forEach((slot, n) => {
    const area = layout.rowAt(n === 0 ? 0.32 : 0.49, rowH);
    const gap = Math.round(font.small * 0.4);
    const side = Math.round(area.w * 0.24);
    const middle = area.w - 2 * side - 2 * gap;
    const which = n as 0 | 1;
    const button = (
      id: 'earlier' | 'toggle' | 'later',
      x: number,
      w: number,
      text: string,
      lit: boolean,
    ): Widget<RemindersTap> => ({
      type: 'button',
      id: `${id}-${n}`,
      box: { x, y: area.y, w, h: area.h },
      text,
      size: font.body,
      color: lit ? COLOR.background : COLOR.text,
      background: lit ? COLOR.accent : COLOR.buttonBackground,
      pressed: lit ? COLOR.accentPressed : COLOR.buttonPressed,
      msg: { type: id, slot: which },
    });
    widgets.push(
      button('earlier', area.x, side, '−', false),
      button('toggle', area.x + side + gap, middle, slot.on ? slot.time : t('reminders.off'), slot.on),
      button('later', area.x + side + gap + middle + gap, side, '+', false),
    );
  });
  widgets.push({
    type: 'button',
    id: 'save',
    box: layout.button(0.78, Math.round(font.body * 2.1), 0.5),
    text: t('reminders.save'),
    size: font.body,
    color: COLOR.background,
    background: COLOR.accent,
    pressed: COLOR.accentPressed,
    msg: { type: 'save' },
  });
  if (model.status !== 'idle' && model.status !== 'edited') {
    widgets.push({
      type: 'text',
      id: 'status',
      box: layout.rowAt(0.635, font.small * 1.3),
      text: t(`reminders.status.${model.status}`),
      size: font.small,
      color: model.status === 'duplicate' || model.status === 'superseded' ? COLOR.warning : COLOR.muted,
    });
  }
  // A long translation shrinks to fit rather than running off a round edge.
  return fit(widgets);
}
