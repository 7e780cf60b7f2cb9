import type { Translate } from './i18n';
import type { Layout } from './layout';
import type { CueKind } from './timeline';
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
export function cuesView(playing: CueKind | null, layout: Layout, t: Translate): View {
  const { font, screen } = layout;
  const area = layout.rowAt(0.55, screen.height * 0.56);
  const cols = 2;
  const rows = Math.ceil(CUE_ORDER.length / cols);
  const gap = Math.round(font.small * 0.4);
  const w = Math.floor((area.w - gap * (cols - 1)) / cols);
  const h = Math.floor((area.h - gap * (rows - 1)) / rows);
  const widgets: Widget[] = [
    {
      kind: 'text',
      id: 'title',
      box: layout.rowAt(0.13, font.body * 1.3),
      text: t('cues.title'),
      size: font.body,
      color: COLOR.text,
    },
    {
      kind: 'text',
      id: 'hint',
      box: layout.rowAt(0.21, font.small * 1.3),
      text: playing ? t(`cue.${playing}`) : t('cues.hint'),
      size: font.small,
      color: playing ? COLOR.accent : COLOR.muted,
    },
  ];
  CUE_ORDER.forEach((kind, i) => {
    const col = i % cols;
    const row = Math.floor(i / cols);
    widgets.push({
      kind: 'button',
      id: `cue-${kind}`,
      box: { x: area.x + col * (w + gap), y: area.y + row * (h + gap), w, h },
      text: t(`cue.${kind}`),
      size: font.small,
      color: kind === playing ? COLOR.background : COLOR.text,
      background: kind === playing ? COLOR.accent : COLOR.buttonBackground,
      pressed: COLOR.buttonPressed,
      action: kind,
    });
  });
  return widgets;
}
