import type { Translate } from '../base/i18n';
import type { Box, Layout } from './layout';
import type { Position } from '../engine/position';
import { positionOf } from '../engine/session';
import type { SessionFlow } from '../engine/session-flow';
import type { Prescription } from '../plan/prescription';
import { fit } from './fit';
import { COLOR, type View, type Widget } from './widgets';

/** Degrees left empty between round segments, so "round 2 of 3" reads as segments, not a bar. */
const SEGMENT_GAP_DEG = 6;

export interface SessionScreenModel {
  readonly position: Position;
  readonly paused: boolean;
  readonly prescription: Pick<Prescription, 'inhaleSec' | 'exhaleSec'>;
}

/** What the session screen shows of a running session at `now`. */
export function sessionScreenOf(flow: SessionFlow, now: number): SessionScreenModel {
  const { session } = flow;
  return {
    position: positionOf(session, now),
    paused: session.status === 'paused',
    prescription: session.timeline.prescription,
  };
}

/** Seconds shown to the patient: a step with 0.2 s left still says "1 s", never "0 s" while it runs. */
export const secondsLeft = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));

/** The breath circle grows through an inhale and shrinks through an exhale: 0 (empty) … 1 (full). */
export function breathFill(position: Position, p: SessionScreenModel['prescription']): number | null {
  const b = position.breath;
  if (!b) return null;
  const phaseMs = (b.phase === 'inhale' ? p.inhaleSec : p.exhaleSec) * 1000;
  const done = Math.min(1, Math.max(0, 1 - b.msLeftInPhase / phaseMs));
  return b.phase === 'inhale' ? done : 1 - done;
}

/** What the session screen's buttons carry: the flow's events, which the page stamps with the time. */
export type SessionTap = { readonly type: 'toggle' } | { readonly type: 'skip' };

export function sessionView(model: SessionScreenModel, layout: Layout, t: Translate): View<SessionTap> {
  const { position: pos, paused } = model;
  const { font, ring } = layout;
  const widgets: Widget<SessionTap>[] = [
    // Drawn first, under everything: a tap anywhere pauses or resumes (only BUTTON reliably takes taps).
    {
      type: 'button',
      id: 'tap',
      box: { x: 0, y: 0, w: layout.screen.width, h: layout.screen.height },
      text: '',
      size: font.small,
      color: COLOR.background,
      background: COLOR.background,
      pressed: COLOR.background,
      msg: { type: 'toggle' },
    },
  ];

  const span = 360 / pos.rounds;
  for (let r = 1; r <= pos.rounds; r++) {
    const from = (r - 1) * span + SEGMENT_GAP_DEG / 2;
    const to = r * span - SEGMENT_GAP_DEG / 2;
    widgets.push({ type: 'arc', id: `round-${r}-track`, ring, from, to, color: COLOR.track });
    const fill = r <= pos.roundsDone ? 1 : r === pos.round ? pos.roundFraction : 0;
    // Drawn from the start, in the track's colour over the whole segment while the round has not begun
    // (it cannot be seen): its start changes in place, so no widget is drawn anew as a session runs
    // (the renderer draws anew on top, and what lies above it with it).
    widgets.push({
      type: 'arc',
      id: `round-${r}-done`,
      ring,
      from,
      to: fill > 0 ? from + (to - from) * fill : to,
      color: fill <= 0 ? COLOR.track : paused ? COLOR.muted : COLOR.accent,
    });
  }

  const header =
    pos.step === 'done'
      ? t('session.round', { round: pos.rounds, rounds: pos.rounds })
      : pos.round === 0
        ? t('session.setup')
        : t('session.round', { round: pos.round, rounds: pos.rounds });
  widgets.push(
    {
      type: 'text',
      id: 'round',
      box: layout.rowAt(0.2, font.small * 1.4),
      text: header,
      size: font.small,
      color: COLOR.muted,
    },
    {
      type: 'text',
      id: 'step',
      box: layout.rowAt(0.41, font.title * 1.3),
      text: t(pos.nameKey),
      size: font.title,
      color: COLOR.text,
    },
    {
      type: 'text',
      id: 'do',
      box: layout.rowAt(0.525, font.body * 2.2),
      text: paused ? t('session.paused') : t(pos.doKey),
      size: font.body,
      color: paused ? COLOR.warning : COLOR.text,
      wrap: true,
    },
  );

  const fill = breathFill(pos, model.prescription);
  const counterBox = layout.rowAt(0.66, font.big * 1.2);
  if (fill !== null && pos.breath) {
    const maxR = Math.round(font.big * 1.05);
    widgets.push({
      type: 'circle',
      id: 'breath',
      cx: ring.cx,
      cy: Math.round(counterBox.y + counterBox.h / 2),
      radius: Math.max(4, Math.round(maxR * (0.35 + 0.65 * fill))),
      color: pos.breath.phase === 'inhale' ? COLOR.inhale : COLOR.exhale,
    });
  }
  widgets.push({
    type: 'text',
    id: 'counter',
    box: counterBox,
    text: counterText(pos, t),
    // Seconds are one big number; sweeps and breaths are words and take the body size.
    size: pos.pacing === 'sweeps' || pos.pacing === 'breaths' ? font.body : font.big,
    color: COLOR.text,
  });

  if (pos.step !== 'done') {
    widgets.push({
      type: 'button',
      id: 'skip',
      box: layout.button(0.845, Math.round(font.body * 1.8), pos.tapToSkip ? 0.46 : 0.36),
      text: pos.tapToSkip ? t('session.tapToStart') : t('session.skip'),
      size: font.small,
      color: COLOR.text,
      background: COLOR.buttonBackground,
      pressed: COLOR.buttonPressed,
      msg: { type: 'skip' },
    });
  }
  return fit(widgets);
}

/**
 * The step's picture, between the round and the step's name (sessionView leaves its place): the body's
 * position (scripts/pictures.ts, `small/`), 21 % of the screen wide, 2 : 1, its middle halfway between
 * those rows on every screen (29.5 % down). None once the session is done.
 */
export function sessionPicture(
  model: SessionScreenModel,
  layout: Layout,
): { readonly src: string; readonly box: Box } | null {
  const { step } = model.position;
  if (step === 'done') return null;
  const { width, height } = layout.screen;
  const w = Math.round(width * 0.21);
  const h = Math.round(w / 2);
  return {
    src: `pictures/small/${step}.png`,
    box: { x: Math.round((width - w) / 2), y: Math.round(height * 0.295 - h / 2), w, h },
  };
}

function counterText(pos: Position, t: Translate): string {
  if (pos.step === 'done') return '';
  if (pos.pacing === 'breaths' && pos.breath) {
    return pos.breath.left <= 1 ? t('session.lastBreath') : t('session.breaths', { count: pos.breath.left });
  }
  if (pos.sweep) return t('session.sweep', { index: pos.sweep.index, count: pos.sweep.count });
  return t('session.seconds', { seconds: secondsLeft(pos.msLeftInStep) });
}
