import type { Translate } from '../base/i18n';
import { layoutFor, openEdge, type Layout } from './layout';
import { STRENGTHS, type Strength } from '../plan/prescription';
import type { Program, Step } from '../base/program';
import { renderCue, type Haptics, type RenderedCue } from '../engine/haptics';
import { CUE_KINDS, type CueKind } from '../engine/timeline';
import { fit } from './fit';
import { COLOR, type View, type Widget } from './widgets';

/** The strength after `s` when the patient taps the strength button: light → medium → strong → light. */
export const nextStrength = (s: Strength): Strength =>
  STRENGTHS[(STRENGTHS.indexOf(s) + 1) % STRENGTHS.length] as Strength;

/** What a tap on the "Feel the cues" screen asks for: the message its buttons carry. */
export type CuesEvent =
  | { readonly type: 'play'; readonly cue: CueKind }
  | { readonly type: 'strength' }
  /**
   * The wrist check (core/screens/wrist-check), repeatable from here; the screen during a session (dark
   * or on) is set on its first screen, where the check says what this watch can do in the dark.
   */
  | { readonly type: 'check' }
  /** The voice settings (core/screens/voice), on a page of their own. */
  | { readonly type: 'voice' };

export interface CuesModel {
  /** The cue last played: its button is lit. */
  readonly playing: CueKind | null;
  readonly strength: Strength;
  readonly haptics: Haptics;
}

export type CuesEffect =
  | { readonly type: 'play'; readonly pattern: RenderedCue }
  /**
   * Keep the new strength on the watch at once, as a change made on the watch: the phone gets it at the
   * next prescription exchange (the question before a session, the summary, the resume page).
   */
  | { readonly type: 'saveStrength'; readonly strength: Strength }
  /** Open the wrist check above this page. */
  | { readonly type: 'openCheck' }
  /** Open the voice settings above this page. */
  | { readonly type: 'openVoice' };

/**
 * "Feel the cues" as a program. A new strength is used at once, felt at once (a single tap is the
 * plainest sample of a strength) and kept as a change made on the watch, which the next page that talks
 * to the phone sends (this page holds no messaging: its room went to the voice settings' row).
 */
export function cuesProgram(strength: Strength, haptics: Haptics): Program<CuesModel, CuesEvent, CuesEffect> {
  return { init: { model: { playing: null, strength, haptics }, effects: [] }, update: updateCues };
}

function updateCues(model: CuesModel, tap: CuesEvent): Step<CuesModel, CuesEffect> {
  if (tap.type === 'voice') return { model, effects: [{ type: 'openVoice' }] };
  if (tap.type === 'check') return { model, effects: [{ type: 'openCheck' }] };
  if (tap.type === 'play') {
    return {
      model: { ...model, playing: tap.cue },
      effects: [{ type: 'play', pattern: renderCue(tap.cue, model.strength, model.haptics) }],
    };
  }
  const strength = nextStrength(model.strength);
  return {
    model: { ...model, strength },
    effects: [
      { type: 'saveStrength', strength },
      { type: 'play', pattern: renderCue('sweepTick', strength, model.haptics) },
    ],
  };
}

/**
 * "Feel the cues": the wrist check (whose first screen also holds the screen setting), the patient's
 * vibration strength (tap to change it, felt at once), then one button per cue; tapping plays it. The
 * cue playing is highlighted.
 */
export function cuesView(
  playing: CueKind | null,
  strength: Strength,
  ringLayout: Layout,
  t: Translate,
): View<CuesEvent> {
  // No ring here: the buttons take the whole visible area.
  const layout = layoutFor(ringLayout.screen, openEdge);
  const { font, screen } = layout;
  // One column: labels like "Session done" need the width; rows narrow towards a round screen's bottom.
  const top = screen.height * 0.35;
  const gap = Math.round(font.small * 0.3);
  // The cues, then the voice settings' row.
  const rows = CUE_KINDS.length + 1;
  const h = Math.floor((screen.height * 0.52 - gap * (rows - 1)) / rows);
  // The two settings above the cues: accent text on black, one line each.
  const setting = (
    at: number,
    lines: number,
    wide: number,
    text: string,
    msg: CuesEvent,
  ): Widget<CuesEvent> => ({
    type: 'button',
    id: msg.type,
    box: layout.button(at, Math.round(font.small * lines), wide),
    text,
    size: font.small,
    color: COLOR.accent,
    background: COLOR.background,
    pressed: COLOR.buttonPressed,
    msg,
  });
  const widgets: Widget<CuesEvent>[] = [
    setting(0.165, 1.6, 0.56, t('cues.check'), { type: 'check' }),
    setting(0.265, 1.7, 0.62, t('cues.strength', { level: t(`strength.${strength}`) }), { type: 'strength' }),
  ];
  [...CUE_KINDS, 'voice' as const].forEach((kind, i) => {
    const band = layout.row(top + i * (h + gap), h);
    const w = Math.min(band.w, Math.round(screen.width * 0.7));
    const lit = kind === playing;
    widgets.push({
      type: 'button',
      id: `cue-${kind}`,
      box: { x: Math.round((screen.width - w) / 2), y: band.y, w, h },
      text: t(`cue.${kind}`),
      size: Math.max(20, Math.round(font.small * 0.9)),
      color: lit ? COLOR.background : kind === 'voice' ? COLOR.accent : COLOR.text,
      background: lit ? COLOR.accent : COLOR.buttonBackground,
      pressed: COLOR.buttonPressed,
      msg: kind === 'voice' ? { type: 'voice' } : { type: 'play', cue: kind },
    });
  });
  return fit(widgets);
}
