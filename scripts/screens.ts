/**
 * npm run screens: draws every watch screen, in its main states, on every target screen size, as PNG
 * files in .build/screens/ — a quick look at layouts without a watch. The drawing approximates the
 * watch's fonts (text width is estimated), so it shows placement and fit, not exact typography.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { po } from 'gettext-parser';
import sharp from 'sharp';
import { cuesView } from '../core/screens/cues';
import { homeView } from '../core/screens/home';
import { remindersModel, remindersView } from '../core/screens/reminders';
import { resumeView } from '../core/screens/resume';
import { translator } from '../core/base/i18n';
import { insideScreen, layoutFor, type Screen } from '../core/screens/layout';
import { positionAt } from '../core/engine/position';
import { DEFAULT_PRESCRIPTION } from '../core/plan/prescription';
import { sessionView } from '../core/screens/session';
import { beforeProgram, summaryModel, summaryView } from '../core/screens/summary';
import { buildTimeline } from '../core/engine/timeline';
import type { View, Widget } from '../core/screens/widgets';
import { loadCatalog, targetScreens } from './lib/catalog';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.build', 'screens');
const lang = process.argv[2] ?? 'en-US';

const catalog = po.parse(readFileSync(join(root, 'page', 'i18n', `${lang}.po`)));
const strings = new Map(
  Object.values(catalog.translations[''] ?? {}).map((e) => [e.msgid, e.msgstr[0] ?? '']),
);
const t = translator((key) => strings.get(key) || key);

const hex = (c: number): string => `#${c.toString(16).padStart(6, '0')}`;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Splits text into lines that fit `width` at `size` px, by an average glyph width estimate. */
function lines(text: string, size: number, width: number, wrap: boolean): string[] {
  const wide = /[\u3000-\u9fff]/.test(text);
  const perChar = size * (wide ? 1 : 0.55);
  const max = Math.max(1, Math.floor(width / perChar));
  if (!wrap || text.length <= max) return [text];
  const words = wide ? [...text] : text.split(' ');
  const result: string[] = [];
  let line = '';
  for (const word of words) {
    const next = line ? (wide ? line + word : `${line} ${word}`) : word;
    if (next.length > max && line) {
      result.push(line);
      line = word;
    } else line = next;
  }
  if (line) result.push(line);
  return result;
}

function textSvg(
  x: number,
  y: number,
  w: number,
  h: number,
  text: string,
  size: number,
  color: number,
  wrap = false,
): string {
  const ls = lines(text, size, w, wrap);
  const lineH = size * 1.15;
  const top = y + h / 2 - ((ls.length - 1) * lineH) / 2;
  return ls
    .map(
      (l, i) =>
        `<text x="${x + w / 2}" y="${top + i * lineH}" font-size="${size}" fill="${hex(color)}" text-anchor="middle" dominant-baseline="central" font-family="DejaVu Sans, sans-serif">${esc(l)}</text>`,
    )
    .join('');
}

function widgetSvg(wd: Widget): string {
  switch (wd.type) {
    case 'text':
      return textSvg(wd.box.x, wd.box.y, wd.box.w, wd.box.h, wd.text, wd.size, wd.color, wd.wrap);
    case 'button': {
      const { x, y, w, h } = wd.box;
      return `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${h / 2}" fill="${hex(wd.background)}"/>${textSvg(x, y, w, h, wd.text, wd.size, wd.color)}`;
    }
    case 'arc': {
      const { cx, cy, rx, ry, lineWidth } = wd.ring;
      const point = (deg: number): string => {
        const a = ((deg - 90) * Math.PI) / 180;
        return `${cx + rx * Math.cos(a)} ${cy + ry * Math.sin(a)}`;
      };
      const to = Math.min(wd.to, wd.from + 359.99);
      const large = to - wd.from > 180 ? 1 : 0;
      return `<path d="M ${point(wd.from)} A ${rx} ${ry} 0 ${large} 1 ${point(to)}" stroke="${hex(wd.color)}" stroke-width="${lineWidth}" fill="none" stroke-linecap="round"/>`;
    }
    case 'circle':
      return `<circle cx="${wd.cx}" cy="${wd.cy}" r="${wd.radius}" fill="${hex(wd.color)}" opacity="0.6"/>`;
  }
}

/**
 * The view on a black panel, then what the watch would not show: the area outside the circle (round) or
 * outside the rounded corners (square) painted over as bezel, and any text or button box that reaches
 * into it outlined in red (the session screen's full-screen tap target is meant to).
 */
async function draw(screen: Screen, view: View, file: string): Promise<number> {
  const { width, height } = screen;
  const visible = screen.round
    ? `<circle cx="${width / 2}" cy="${height / 2}" r="${width / 2}" fill="#000"/>`
    : `<rect width="${width}" height="${height}" rx="${screen.cornerRadius}" fill="#000"/>`;
  const bezel = `<mask id="hidden"><rect width="${width}" height="${height}" fill="#fff"/>${visible}</mask><rect width="${width}" height="${height}" fill="#555" mask="url(#hidden)"/>`;
  const outside = view
    .filter(
      (w) => (w.type === 'text' || w.type === 'button') && w.id !== 'tap' && !insideScreen(screen, w.box),
    )
    .map((w) => {
      const { x, y, w: bw, h } = (w as { box: { x: number; y: number; w: number; h: number } }).box;
      return `<rect x="${x}" y="${y}" width="${bw}" height="${h}" fill="none" stroke="#f00" stroke-width="2"/>`;
    });
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#000"/>${view.map(widgetSvg).join('')}${bezel}${outside.join('')}</svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
  return outside.length;
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
    const session = (ms: number, paused = false): View =>
      sessionView({ position: positionAt(tl, ms), paused, prescription: tl.prescription }, layout, t);
    const views: [string, View][] = [
      ['home', homeView(home, layout, t)],
      ['resume', resumeView({ stage: 'interrupted', full: false }, layout, t)],
      ['resume-blocked', resumeView({ stage: 'blocked', full: true }, layout, t)],
      ['resume-unreadable', resumeView({ stage: 'unreadable', full: false }, layout, t)],
      ['before', summaryView({ ...beforeProgram.init.model, pain: 3 }, layout, t)],
      ['session-setup', session(3000)],
      ['session-sweeps', session(at('sweeps', 2, 4000))],
      ['session-hold', session(at('hold', 2, 2000))],
      ['session-paused', session(at('ribsDown', 3, 2000), true)],
      ['summary', summaryView({ ...summary, pain: 4 }, layout, t)],
      [
        'summary-saved',
        summaryView({ ...summary, stage: 'done', painBefore: 3, pain: 5, hrStart: 72, hrEnd: 64 }, layout, t),
      ],
      ['cues', cuesView('inhale', 'medium', layout, t)],
      [
        'reminders',
        remindersView(remindersModel({ ...DEFAULT_PRESCRIPTION, reminders: ['09:00', '15:00'] }), layout, t),
      ],
    ];
    for (const [name, view] of views) {
      outside += await draw(screen, view, join(dir, `${name}.png`));
      drawn++;
    }
  }
  console.log(`${screens.length} screens, ${drawn} views → ${out}`);
  if (outside > 0)
    console.log(`${outside} text or button boxes reach outside the visible area (outlined in red)`);
}

main().catch((e: unknown) => {
  console.error((e as Error).message);
  process.exit(1);
});
