/**
 * npm run screens: draws every watch screen, in its main states, on every target screen size, as PNG
 * files in .build/screens/<language>/ — a quick look at layouts without a watch — and a montage of the
 * main screens on every size. Text is drawn and wrapped in the fonts that stand in for the watch's
 * (scripts/lib/fonts.ts), found through a fontconfig file written under .build/, so the drawing needs no
 * font of the machine's.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { po } from 'gettext-parser';
import { cuesView } from '../core/screens/cues';
import { SHOWN, voicePicture, voiceView } from '../core/screens/voice';
import { designWidthOf } from './lib/pictures';
import { VOICE_DEFAULT } from '../core/engine/voice';
import { checkViews } from '../test/support/screen-views';
import { homeView } from '../core/screens/home';
import { remindersModel, remindersView } from '../core/screens/reminders';
import { resumeView } from '../core/screens/resume';
import { translator } from '../core/base/i18n';
import { insideScreen, layoutFor, type Box, type Screen } from '../core/screens/layout';
import { positionAt } from '../core/engine/position';
import { DEFAULT_PRESCRIPTION } from '../core/plan/prescription';
import { sessionPicture, sessionView } from '../core/screens/session';
import { beforeProgram, summaryModel, summaryView } from '../core/screens/summary';
import { buildTimeline } from '../core/engine/timeline';
import type { View, Widget } from '../core/screens/widgets';
import { fits, LINE_HEIGHT } from '../core/screens/fit';
import { loadCatalog, targetScreens } from './lib/catalog';
import { FONT_FAMILY, measure, wrapLines, writeFontconfig } from './lib/fonts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const lang = process.argv[2] ?? 'en-US';
const out = join(root, '.build', 'screens', lang);

// Fontconfig reads FONTCONFIG_FILE once, when librsvg first asks it for a font: set before sharp loads.
process.env.FONTCONFIG_FILE = writeFontconfig(join(root, '.build', 'fontconfig'));
const { default: sharp } = await import('sharp');

const catalog = po.parse(readFileSync(join(root, 'page', 'i18n', `${lang}.po`)));
const strings = new Map(
  Object.values(catalog.translations[''] ?? {}).map((e) => [e.msgid, e.msgstr[0] ?? '']),
);
const t = translator((key) => strings.get(key) || key);

const hex = (c: number): string => `#${c.toString(16).padStart(6, '0')}`;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A text in its box, centred: wrapped in the stand-in fonts if the widget wraps, else on one line. */
function textSvg(box: Box, lines: readonly string[], size: number, color: number): string {
  const lineH = size * LINE_HEIGHT;
  // librsvg places dominant-baseline="central" too high: the baseline is set from the font's metrics.
  const top = box.y + box.h / 2 - ((lines.length - 1) * lineH) / 2;
  return lines
    .map(
      (l, i) =>
        `<text x="${box.x + box.w / 2}" y="${top + i * lineH + measure.baseline(size)}" font-size="${size}" fill="${hex(color)}" text-anchor="middle" font-family="${FONT_FAMILY}">${esc(l)}</text>`,
    )
    .join('');
}

/**
 * A widget as SVG; `over`: a text that the stand-in fonts draw wider or taller than its box (as core's
 * fits() judges the estimate, with the fonts' widths, and line by line where the text wraps).
 */
function widgetSvg(wd: Widget): { svg: string; over?: Box } {
  switch (wd.type) {
    case 'text': {
      const lines = wd.wrap ? wrapLines(wd.text, wd.size, wd.box.w) : [wd.text];
      const over =
        lines.length > 1
          ? lines.length * wd.size * LINE_HEIGHT > wd.box.h ||
            lines.some((l) => measure.width(l, wd.size) > wd.box.w)
          : !fits(wd, wd.size, measure.width);
      const svg = textSvg(wd.box, lines, wd.size, wd.color);
      return over ? { svg, over: wd.box } : { svg };
    }
    case 'button': {
      const { x, y, w, h } = wd.box;
      const svg = `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${h / 2}" fill="${hex(wd.background)}"/>${textSvg(wd.box, [wd.text], wd.size, wd.color)}`;
      return fits(wd, wd.size, measure.width) ? { svg } : { svg, over: wd.box };
    }
    case 'arc': {
      const { cx, cy, rx, ry, lineWidth } = wd.ring;
      const point = (deg: number): string => {
        const a = ((deg - 90) * Math.PI) / 180;
        return `${cx + rx * Math.cos(a)} ${cy + ry * Math.sin(a)}`;
      };
      const to = Math.min(wd.to, wd.from + 359.99);
      const large = to - wd.from > 180 ? 1 : 0;
      return {
        svg: `<path d="M ${point(wd.from)} A ${rx} ${ry} 0 ${large} 1 ${point(to)}" stroke="${hex(wd.color)}" stroke-width="${lineWidth}" fill="none" stroke-linecap="round"/>`,
      };
    }
    case 'circle':
      return {
        svg: `<circle cx="${wd.cx}" cy="${wd.cy}" r="${wd.radius}" fill="${hex(wd.color)}" opacity="0.6"/>`,
      };
  }
}

const outline = ({ x, y, w, h }: Box, color: string): string =>
  `<rect x="${x}" y="${y}" width="${w}" height="${h}" fill="none" stroke="${color}" stroke-width="2"/>`;

/**
 * The view on a black panel, then what the watch would not show: the area outside the circle (round) or
 * outside the rounded corners (square) painted over as bezel, any text or button box that reaches into it
 * outlined in red (the session screen's full-screen tap target is meant to), and any whose text the fonts
 * draw wider or taller than the box outlined in orange.
 */
/**
 * A picture on the view (core/screens/voice `voicePicture`, core/screens/session `sessionPicture`): the
 * packaged PNG, drawn in its box above the view's widgets (the pages create it after them).
 */
interface Picture {
  readonly src: string;
  readonly box: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
}

async function draw(
  screen: Screen,
  view: View,
  picture?: Picture,
): Promise<{ png: Buffer; outside: number; over: number }> {
  const { width, height } = screen;
  const visible = screen.round
    ? `<circle cx="${width / 2}" cy="${height / 2}" r="${width / 2}" fill="#000"/>`
    : `<rect width="${width}" height="${height}" rx="${screen.cornerRadius}" fill="#000"/>`;
  const bezel = `<mask id="hidden"><rect width="${width}" height="${height}" fill="#fff"/>${visible}</mask><rect width="${width}" height="${height}" fill="#555" mask="url(#hidden)"/>`;
  const outside = view.flatMap((w) =>
    (w.type === 'text' || w.type === 'button') && w.id !== 'tap' && !insideScreen(screen, w.box)
      ? [w.box]
      : [],
  );
  const drawn = view.map(widgetSvg);
  // The PNG the package holds for this screen's design width (the watch scales it to the screen).
  const image = picture
    ? `<image x="${picture.box.x}" y="${picture.box.y}" width="${picture.box.w}" height="${picture.box.h}" href="data:image/png;base64,${readFileSync(join(root, 'assets', picture.src.replace(/^pictures\//, `pictures/dw${designWidthOf(screen)}/`))).toString('base64')}"/>`
    : '';
  const over = drawn.flatMap((d) => (d.over ? [d.over] : []));
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#000"/>${drawn.map((d) => d.svg).join('')}${image}${bezel}${outside.map((b) => outline(b, '#f00')).join('')}${over.map((b) => outline(b, '#f90')).join('')}</svg>`;
  return { png: await sharp(Buffer.from(svg)).png().toBuffer(), outside: outside.length, over: over.length };
}

/** The montage's columns, in order: home, the question before a session, the session, the summary, the cues. */
const MONTAGE = ['home', 'before', 'session-hold', 'summary', 'summary-saved', 'cues', 'voice-sweeps'];

/** One picture of the montage's views, a row for each screen size, each labelled. */
async function montage(tiles: { png: Buffer; screen: Screen; name: string }[], file: string): Promise<void> {
  const cellW = Math.max(...tiles.map((x) => x.screen.width)) + 20;
  const cellH = Math.max(...tiles.map((x) => x.screen.height)) + 50;
  const rows = [...new Set(tiles.map((x) => x.screen))];
  const width = cellW * MONTAGE.length;
  const height = cellH * rows.length;
  const cells = tiles.map(({ png, screen, name }) => {
    const x = MONTAGE.indexOf(name) * cellW + (cellW - screen.width) / 2;
    const y = rows.indexOf(screen) * cellH + 10;
    const label = `${screen.round ? 'round' : 'square'} ${screen.width}×${screen.height} · ${name}`;
    return `<image x="${x}" y="${y}" width="${screen.width}" height="${screen.height}" href="data:image/png;base64,${png.toString('base64')}"/><text x="${x + screen.width / 2}" y="${y + screen.height + 26}" font-size="20" fill="#aaa" text-anchor="middle" font-family="${FONT_FAMILY}">${label}</text>`;
  });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#222"/>${cells.join('')}</svg>`;
  await sharp(Buffer.from(svg), { limitInputPixels: false }).png().toFile(file);
}

async function main(): Promise<void> {
  const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
  if (!timeline.ok) throw new Error('default prescription');
  const tl = timeline.value;
  const at = (kind: string, round: number, into: number): number =>
    tl.steps.find((s) => s.kind === kind && s.round === round)!.startMs + into;
  const screens = targetScreens(loadCatalog(join(root, 'scripts', 'devices.json')), '3.0');
  rmSync(out, { recursive: true, force: true });
  let drawn = 0;
  let outside = 0;
  let over = 0;
  const tiles: { png: Buffer; screen: Screen; name: string }[] = [];
  for (const s of screens) {
    const screen = { width: s.w, height: s.h, round: s.shape === 'round', cornerRadius: s.cornerRadius ?? 0 };
    const layout = layoutFor(screen);
    const dir = join(out, `${s.shape}-${s.w}x${s.h}`);
    mkdirSync(dir, { recursive: true });
    const home = {
      plan: { rounds: 3, totalMs: tl.totalMs },
      today: { done: 1, target: 2 },
      unsent: 2,
      outboxFull: false,
      streak: 12,
    };
    const summary = summaryModel({
      id: 'mhz3k2w00-abcdefghjk',
      outcome: 'completed',
      roundsDone: 3,
      roundsPlanned: 3,
      activeMs: tl.totalMs,
      stored: true,
    });
    const session = (ms: number, paused = false): [View, Picture?] => {
      const model = { position: positionAt(tl, ms), paused, prescription: tl.prescription };
      return [sessionView(model, layout, t), sessionPicture(model, layout) ?? undefined];
    };
    const views: [string, View, Picture?][] = [
      ['home', homeView(home, layout, t)],
      ['resume', resumeView({ stage: 'interrupted', full: false }, layout, t)],
      ['resume-blocked', resumeView({ stage: 'blocked', full: true }, layout, t)],
      ['resume-unreadable', resumeView({ stage: 'unreadable', full: false }, layout, t)],
      ['before', summaryView({ ...beforeProgram.init.model, pain: 3 }, layout, t)],
      ['session-setup', ...session(3000)],
      ['session-sweeps', ...session(at('sweeps', 2, 4000))],
      ['session-ribs', ...session(at('ribsDown', 1, 1000))],
      ['session-hold', ...session(at('hold', 2, 2000))],
      ['session-return', ...session(at('return', 2, 1000))],
      ['session-paused', ...session(at('ribsDown', 3, 2000), true)],
      ['summary', summaryView({ ...summary, pain: 4 }, layout, t)],
      [
        'summary-saved',
        summaryView({ ...summary, stage: 'done', painBefore: 3, pain: 5, hrStart: 72, hrEnd: 64 }, layout, t),
      ],
      ['cues', cuesView('inhale', 'medium', layout, t)],
      ...SHOWN.map((_, step): [string, View, Picture] => {
        const model = { voice: VOICE_DEFAULT, speaker: true, step };
        return [`voice-${SHOWN[step]!.kind}`, voiceView(model, layout, t), voicePicture(model, layout)];
      }),
      [
        'voice-no-speaker',
        voiceView({ voice: VOICE_DEFAULT, speaker: false, step: 3 }, layout, t),
        voicePicture({ voice: VOICE_DEFAULT, speaker: false, step: 3 }, layout),
      ],
      [
        'reminders',
        remindersView(remindersModel({ ...DEFAULT_PRESCRIPTION, reminders: ['09:00', '15:00'] }), layout, t),
      ],
      // The wrist check, every step (test/support/screen-views checkViews).
      ...checkViews(layout, t).map(([name, view]): [string, View] => [name.replace(/ /g, '-'), view]),
    ];
    for (const [name, view, picture] of views) {
      const d = await draw(screen, view, picture);
      writeFileSync(join(dir, `${name}.png`), d.png);
      if (MONTAGE.includes(name)) tiles.push({ png: d.png, screen, name });
      outside += d.outside;
      over += d.over;
      drawn++;
    }
  }
  await montage(tiles, join(out, 'montage.png'));
  console.log(
    `${screens.length} screens, ${drawn} views → ${out} (the main ones on every screen: montage.png)`,
  );
  if (outside > 0)
    console.log(`${outside} text or button boxes reach outside the visible area (outlined in red)`);
  if (over > 0)
    console.log(`${over} texts are wider or taller than their box in these fonts (outlined in orange)`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
