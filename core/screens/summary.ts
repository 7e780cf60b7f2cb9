import type { Translate } from '../base/i18n';
import { layoutFor, openEdge, type Box, type Layout } from './layout';
import type { Keys, Program, Step, SubOf } from '../base/program';
import type { Route } from '../base/routes';
import { flare, heartRateReading, OUTCOMES, painChange, painRating, type Outcome } from '../log/session-log';
import type { SessionSummary } from '../engine/session-record';
import { fit } from './fit';
import { COLOR, styledButton, type View, type Widget } from './widgets';

const PAIN_MIN = 0;
const PAIN_MAX = 10;

/**
 * After a session: what was done, then an optional 0–10 pain rating. The log itself is already in the
 * outbox when this screen opens; the rating only amends it. Once answered: the heart rate at start and
 * end, and the pain before → after.
 *
 * Before the first round (home's Start opens page/before) the same rating is asked (`beforeProgram`):
 * Start (with the rating, if one was picked) or Skip, one tap either way, then the session page.
 */
export interface SummaryModel {
  /** Asked before the session: no session facts yet (the fields below are zero). */
  readonly before?: true;
  /** The session log's id: the rating amends that log. */
  readonly id: string;
  readonly outcome: Outcome;
  readonly roundsDone: number;
  readonly roundsPlanned: number;
  readonly activeMs: number;
  /** null until the patient picks a value: no number is suggested to them. */
  readonly pain: number | null;
  readonly stage: 'rate' | 'done';
  /** False when the outbox refused the log (full): the screen says so instead of "Saved". */
  readonly stored: boolean;
  /** Crown degrees turned since the last step of the rating. */
  readonly crownDeg: number;
  readonly painBefore?: number;
  /** Heart rate in bpm; absent: not measured. */
  readonly hrStart?: number;
  readonly hrEnd?: number;
}

/** One turn of the crown sweeps the whole 0–10 scale (a notch is about 30°). */
const CROWN_DEG_PER_STEP = 30;

/** What the rating screen's buttons carry. */
export type SummaryTap =
  | { readonly type: 'up' }
  | { readonly type: 'down' }
  | { readonly type: 'save' }
  | { readonly type: 'skip' }
  | { readonly type: 'home' };

export type SummaryEvent =
  | SummaryTap
  /** Crown rotation in degrees as the platform reports it: negative is clockwise, which raises the value. */
  | { readonly type: 'crown'; readonly degrees: number }
  /** The select button: saves while the question is asked, then goes home. */
  | { readonly type: 'select' }
  /** The page is closing. */
  | { readonly type: 'leave' };

/**
 * What the rating listens to while on screen: the crown, and select, UP and DOWN taken from the
 * system, as `select` and the + and − taps (four-button watches have no crown).
 */
export type RatingSub = Keys<'select' | 'up' | 'down'> | SubOf<'crown'>;
const RATING_SUBS: readonly RatingSub[] = [
  { type: 'keys', take: { select: 'select', up: 'up', down: 'down' } },
  { type: 'crown' },
];

export type SummaryEffect =
  /** Amend the log still in the outbox with the patient's rating. */
  | { readonly type: 'ratePain'; readonly id: string; readonly pain: number }
  /** Send what the outbox holds: the log goes once the question is answered or left. */
  | { readonly type: 'sync' }
  /** Back to home, beneath this page (router `back`). */
  | { readonly type: 'goHome' }
  /**
   * Open a page in place of this one: home, when the page opened without a session to sum up; before
   * the session, the session page, with the rating if one was given (`sessionParamsOf`).
   */
  | { readonly type: 'open'; readonly route: Route };

export function summaryModel(
  fields: Omit<SummaryModel, 'pain' | 'stage' | 'crownDeg'> & { readonly pain?: number | null },
): SummaryModel {
  return { ...fields, pain: fields.pain ?? null, stage: 'rate', crownDeg: 0 };
}

/**
 * The summary page as a program, from its params: those of the log the page has just kept, or the App
 * Service's notification's.
 */
export function summaryProgram(
  params: unknown,
): Program<SummaryModel | null, SummaryEvent, SummaryEffect, RatingSub> {
  const given = decodeSummaryParams(params);
  return {
    init:
      given === null
        ? { model: null, effects: [{ type: 'open', route: { page: 'home' } }] }
        : { model: summaryModel(given), effects: [] },
    update: (model, event) => (model ? updateSummary(model, event) : { model, effects: [] }),
    // Without a session to sum up the page goes home at once, listening to nothing.
    subscriptions: (model) => (model ? RATING_SUBS : []),
  };
}

/**
 * The question before the session (page/before): no session facts yet, nothing stored. A literal (no
 * call at load), so that the pages importing only this module's params helpers (the session page's
 * `painBeforeOf`) do not carry the program.
 */
export const beforeProgram: Program<SummaryModel, SummaryEvent, SummaryEffect, RatingSub> = {
  init: {
    model: {
      before: true,
      id: '',
      stored: true,
      outcome: 'completed',
      roundsDone: 0,
      roundsPlanned: 0,
      activeMs: 0,
      pain: null,
      stage: 'rate',
      crownDeg: 0,
    },
    effects: [],
  },
  update: updateBefore,
  subscriptions: () => RATING_SUBS,
};

const nudge = (pain: number | null, by: number): number =>
  pain === null ? PAIN_MIN : Math.min(PAIN_MAX, Math.max(PAIN_MIN, pain + by));

export function updateSummary(model: SummaryModel, event: SummaryEvent): Step<SummaryModel, SummaryEffect> {
  const rating = model.stage === 'rate';
  if (event.type === 'select') return updateSummary(model, { type: rating ? 'save' : 'home' });
  if (event.type === 'home') return { model, effects: [{ type: 'goHome' }] };
  // Leaving without answering sends the log as it is: the rating is optional, the log is not.
  if (event.type === 'leave') return { model, effects: rating ? [{ type: 'sync' }] : [] };
  if (!rating) return { model, effects: [] };
  switch (event.type) {
    case 'save':
      return {
        model: { ...model, stage: 'done' },
        effects: [
          ...(model.pain === null ? [] : [{ type: 'ratePain' as const, id: model.id, pain: model.pain }]),
          { type: 'sync' },
        ],
      };
    case 'skip':
      return { model: { ...model, pain: null, stage: 'done' }, effects: [{ type: 'sync' }] };
    case 'up':
    case 'down':
    case 'crown':
      return { model: stepRating(model, event), effects: [] };
  }
}

/** Before the session: the rating steps as after it; Start or Skip opens the session, once. */
export function updateBefore(model: SummaryModel, event: SummaryEvent): Step<SummaryModel, SummaryEffect> {
  if (model.stage !== 'rate') return { model, effects: [] };
  switch (event.type) {
    case 'save':
    case 'select':
    case 'skip': {
      const pain = event.type === 'skip' ? null : model.pain;
      return {
        model: { ...model, pain, stage: 'done' },
        effects: [{ type: 'open', route: { page: 'session', params: sessionParamsOf(pain ?? undefined) } }],
      };
    }
    // Leaving (back to home) starts nothing.
    case 'leave':
    case 'home':
      return { model, effects: [] };
    case 'up':
    case 'down':
    case 'crown':
      return { model: stepRating(model, event), effects: [] };
  }
}

/** The rating's own steps: + and −, the crown. */
function stepRating(
  model: SummaryModel,
  event: Extract<SummaryEvent, { type: 'up' | 'down' | 'crown' }>,
): SummaryModel {
  switch (event.type) {
    case 'up':
      return { ...model, pain: nudge(model.pain, 1) };
    case 'down':
      return { ...model, pain: nudge(model.pain, -1) };
    case 'crown': {
      if (!Number.isFinite(event.degrees)) return model;
      const turned = model.crownDeg - event.degrees;
      const steps = Math.trunc(turned / CROWN_DEG_PER_STEP);
      if (steps === 0) return { ...model, crownDeg: turned };
      return { ...model, pain: nudge(model.pain, steps), crownDeg: turned - steps * CROWN_DEG_PER_STEP };
    }
  }
}

const OUTCOME_KEY: { readonly [O in Outcome]: string } = {
  completed: 'summary.completed',
  ended_early: 'summary.endedEarly',
  interrupted: 'summary.interrupted',
};

export function summaryView(model: SummaryModel, ringLayout: Layout, t: Translate): View<SummaryTap> {
  // No ring here: the rating takes the whole visible area.
  const layout = layoutFor(ringLayout.screen, openEdge);
  const { font } = layout;
  const seconds = Math.round(model.activeMs / 1000);
  const buttonH = Math.round(font.body * 2);
  const title: Widget<never> = {
    type: 'text',
    id: 'outcome',
    box: layout.rowAt(0.2, font.body * 1.5),
    text: model.before ? t('summary.before') : t(OUTCOME_KEY[model.outcome]),
    size: Math.round(font.body * 1.2),
    color: model.outcome === 'completed' && !model.before ? COLOR.accent : COLOR.text,
  };
  const widgets: Widget<SummaryTap>[] = [
    title,
    {
      type: 'text',
      id: 'rounds',
      box: layout.rowAt(0.29, font.body * 1.3),
      text: `${t('summary.rounds', { done: model.roundsDone, planned: model.roundsPlanned })} · ${t(
        'summary.time',
        {
          minutes: Math.floor(seconds / 60),
          seconds: seconds % 60,
        },
      )}`,
      size: font.body,
      color: COLOR.muted,
    },
  ];
  if (model.before) widgets.splice(1);
  const button = (
    id: string,
    text: string,
    type: SummaryTap['type'],
    box: Box,
    primary = false,
  ): Widget<SummaryTap> => styledButton(id, { type }, text, box, font.body, primary);
  if (model.stage === 'rate') {
    const numberBox = layout.rowAt(0.52, font.big * 1.3);
    const side = Math.round(buttonH * 1.1);
    const cy = numberBox.y + numberBox.h / 2;
    widgets.push(
      {
        type: 'text',
        id: 'question',
        box: layout.rowAt(0.38, font.body * 1.3),
        text: t('summary.painQuestion'),
        size: font.body,
        color: COLOR.text,
      },
      {
        type: 'text',
        id: 'pain',
        box: { x: numberBox.x + side, y: numberBox.y, w: numberBox.w - 2 * side, h: numberBox.h },
        text: model.pain === null ? '–' : String(model.pain),
        size: font.big,
        color: model.pain !== null && model.pain >= 7 ? COLOR.warning : COLOR.text,
      },
      button('down', '−', 'down', { x: numberBox.x, y: Math.round(cy - side / 2), w: side, h: side }),
      button('up', '+', 'up', {
        x: numberBox.x + numberBox.w - side,
        y: Math.round(cy - side / 2),
        w: side,
        h: side,
      }),
      {
        type: 'text',
        id: 'scale',
        box: layout.rowAt(0.64, font.small * 1.3),
        text: t('summary.painNone'),
        size: font.small,
        color: COLOR.muted,
      },
      button(
        'save',
        t(model.before ? 'summary.start' : 'summary.save'),
        'save',
        layout.button(0.755, buttonH, 0.5),
        true,
      ),
      button('skip', t('summary.skipPain'), 'skip', layout.button(0.875, buttonH * 0.8, 0.4)),
    );
  } else if (!model.before) {
    const rated = { painBefore: model.painBefore, pain: model.pain ?? undefined };
    const change = painChange(rated);
    const pain =
      change !== undefined
        ? t('summary.painChange', { before: model.painBefore!, after: model.pain!, change: signed(change) })
        : model.pain !== null
          ? t('summary.painAfter', { after: model.pain })
          : model.painBefore !== undefined
            ? t('summary.painBeforeOnly', { before: model.painBefore })
            : null;
    widgets.push(
      {
        type: 'text',
        id: 'heart',
        box: layout.rowAt(0.375, font.body * 1.3),
        text: heartRateLine(model, t),
        size: font.body,
        color: COLOR.text,
      },
      ...(pain === null
        ? []
        : [
            {
              type: 'text' as const,
              id: 'painChange',
              box: layout.rowAt(0.46, font.body * 1.3),
              text: pain,
              size: font.body,
              color: flare(rated) ? COLOR.warning : COLOR.text,
            },
          ]),
      {
        type: 'text',
        id: 'saved',
        box: layout.rowAt(0.57, font.title * 1.3),
        text: model.stored ? t('summary.saved') : t('summary.full'),
        size: model.stored ? font.title : font.body,
        color: model.stored ? COLOR.text : COLOR.warning,
        wrap: !model.stored,
      },
      button('home', t('summary.home'), 'home', layout.button(0.72, buttonH, 0.5), true),
    );
  }
  return fit(widgets);
}

/** "+2", "−1", "±0". */
const signed = (n: number): string => (n > 0 ? `+${n}` : n < 0 ? `−${-n}` : '±0');

/** "72 → 64 bpm"; a missing reading says "not measured", never 0. */
function heartRateLine(m: Pick<SummaryModel, 'hrStart' | 'hrEnd'>, t: Translate): string {
  const { hrStart, hrEnd } = m;
  if (hrStart !== undefined && hrEnd !== undefined)
    return t('summary.hrBoth', { start: hrStart, end: hrEnd });
  if (hrStart === undefined && hrEnd === undefined) return t('summary.hrNone');
  const side = (bpm: number | undefined) =>
    bpm === undefined ? t('summary.hrNotMeasured') : t('summary.hrBpm', { bpm });
  return t('summary.hrPartial', { start: side(hrStart), end: side(hrEnd) });
}

/** What the summary page is opened with (router params are a string): the App Service's notification. */
export interface SummaryParams {
  readonly id: string;
  readonly stored: boolean;
  readonly outcome: Outcome;
  readonly roundsDone: number;
  readonly roundsPlanned: number;
  readonly activeMs: number;
  readonly painBefore?: number;
  readonly hrStart?: number;
  readonly hrEnd?: number;
}

const encodeSummaryParams = (p: SummaryParams): string => JSON.stringify(p);

/**
 * The summary page's params for a finished session's log (or its summary: the App Service's hand-back);
 * `stored`: whether the outbox took it.
 */
export function summaryParamsOf(log: SessionSummary, stored: boolean): string {
  const { id, outcome, roundsDone, roundsPlanned, activeMs, painBefore, hrStart, hrEnd } = log;
  return encodeSummaryParams({
    id,
    stored,
    outcome,
    roundsDone,
    roundsPlanned,
    activeMs,
    painBefore,
    hrStart,
    hrEnd,
  });
}

/** The session page's params after the question before it: the rating, if one was given. */
export function sessionParamsOf(painBefore: number | undefined): string {
  return painBefore === undefined ? '{}' : JSON.stringify({ painBefore });
}

/** The rating the session page's params carry, if any (anything else: none). */
export function painBeforeOf(params: unknown): number | undefined {
  try {
    return painRating((JSON.parse(String(params)) as { painBefore?: unknown } | null)?.painBefore);
  } catch {
    return undefined;
  }
}

/**
 * Reads the params back; anything unreadable yields null and the page goes home instead of guessing.
 * Also how the page reads the App Service's hand-back file, which holds the same params (core/watch/service).
 */
export function decodeSummaryParams(text: unknown): SummaryParams | null {
  try {
    const o = JSON.parse(String(text)) as Record<string, unknown>;
    const whole = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
    if (
      typeof o.id === 'string' &&
      typeof o.stored === 'boolean' &&
      (OUTCOMES as readonly unknown[]).includes(o.outcome) &&
      whole(o.roundsDone) &&
      whole(o.roundsPlanned) &&
      whole(o.activeMs)
    ) {
      return {
        id: o.id,
        stored: o.stored,
        outcome: o.outcome as Outcome,
        roundsDone: o.roundsDone,
        roundsPlanned: o.roundsPlanned,
        activeMs: o.activeMs,
        ...(painBeforeOf(text) === undefined ? {} : { painBefore: painBeforeOf(text) }),
        ...(heartRateReading(o.hrStart) === undefined ? {} : { hrStart: heartRateReading(o.hrStart) }),
        ...(heartRateReading(o.hrEnd) === undefined ? {} : { hrEnd: heartRateReading(o.hrEnd) }),
      };
    }
  } catch {
    // fall through
  }
  return null;
}
