import type { Translate } from './i18n';
import { layoutFor, type Layout } from './layout';
import type { CueKind } from './timeline';
import { fit } from './fit';
import { COLOR, type View, type Widget } from './widgets';

/** The order a patient learns them in: the session's own order of first appearance. */
export const CUE_ORDER: readonly CueKind[] = [
  'stepStart',
  'sweepTick',
  'inhale',
  'exhale',
  'roundDone',
  'sessionDone',
];

/** "Feel the cues": one button per cue; tapping plays it and names it. */
export function cuesView(playing: CueKind | null, ringLayout: Layout, t: Translate): View {
  // No ring here: the buttons take the whole visible area.
  const layout = layoutFor(ringLayout.screen, 'open');
  const { font, screen } = layout;
  // One column: labels like "Session done" need the width; rows narrow towards a round screen's bottom.
  const top = screen.height * 0.31;
  const gap = Math.round(font.small * 0.3);
  const h = Math.floor((screen.height * 0.56 - gap * (CUE_ORDER.length - 1)) / CUE_ORDER.length);
  const widgets: Widget[] = [
    {
      kind: 'text',
      id: 'title',
      box: layout.rowAt(0.17, font.body * 1.3),
      text: t('cues.title'),
      size: font.body,
      color: COLOR.text,
    },
    {
      kind: 'text',
      id: 'hint',
      box: layout.rowAt(0.25, font.small * 1.3),
      text: playing ? t(`cue.${playing}`) : t('cues.hint'),
      size: font.small,
      color: playing ? COLOR.accent : COLOR.muted,
    },
  ];
  CUE_ORDER.forEach((kind, i) => {
    const band = layout.row(top + i * (h + gap), h);
    const w = Math.min(band.w, Math.round(screen.width * 0.7));
    widgets.push({
      kind: 'button',
      id: `cue-${kind}`,
      box: { x: Math.round((screen.width - w) / 2), y: band.y, w, h },
      text: t(`cue.${kind}`),
      size: Math.max(20, Math.round(font.small * 0.9)),
      color: kind === playing ? COLOR.background : COLOR.text,
      background: kind === playing ? COLOR.accent : COLOR.buttonBackground,
      pressed: COLOR.buttonPressed,
      action: kind,
    });
  });
  return fit(widgets);
}
