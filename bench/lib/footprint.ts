/**
 * The footprint of the watch app against a floor page built with the same settings: JavaScript bytes,
 * bytecode bytes, heap after the page is built, timer callbacks and widget property writes of a default
 * session, and the goals of issue 13. Used by bench/footprint.ts (prints it) and
 * test/bench/footprint.test.ts (holds the goals).
 */
import { cpSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildZab } from '../../scripts/lib/pipeline';
import { bytecodeBytes, qjscPath } from '../../scripts/lib/qjsc';
import { bootWatch, type Watch } from '../../test/runtime';
import { ROUTES, settleHome, startSession } from '../../test/runtime/flows';
import { watchPackage } from '../../test/runtime/package';
import { sourceHeldBytes } from './source-held';

/** The targets measured: round 480 on API 3.7 and 4.4, and the smallest screen, square 320×380 on API 3.0. */
export const TARGETS = ['Amazfit Balance', 'Amazfit Balance 3', 'Amazfit Bip 5 Unity'] as const;

const FLOOR_ROUTE = 'page/floor/index.page';

/** What a page is called in the figures. */
export const PAGES = ['floor', 'app.js', 'home', 'resume', 'before', 'session', 'summary', 'cues'] as const;
export type PageName = (typeof PAGES)[number];

export interface PageFigures {
  /** Minified JavaScript as packaged. */
  readonly jsBytes: number;
  /** That file compiled by the builder's qjsc, as a release package holds it. */
  readonly bytecodeBytes: number;
  /** QuickJS heap after the page is built, after a forced collection, above the runtime's baseline (app.js: after onCreate). */
  readonly heapBytes: number;
  /**
   * Of that heap, the source text of the page's live functions, which the double's QuickJS keeps and the
   * watch's bytecode does not (bench/lib/source-held.ts): the watch's heap is about heapBytes minus this.
   */
  readonly sourceBytes: number;
}

export interface SessionFigures {
  /** Timer callbacks on the session page through one default session. */
  readonly callbacks: number;
  /** Distinct virtual moments among them: a callback due at the same moment as another adds none. */
  readonly moments: number;
  /** Widget property values written on the session page, and how many of them changed the screen. */
  readonly written: number;
  readonly changed: number;
}

export interface TargetFigures {
  readonly device: string;
  /** Built files holding zml's messaging (its logger name, "device-message", is in every build of it). */
  readonly messagingIn: readonly string[];
  readonly screen: string;
  readonly api: string;
  readonly pages: Readonly<Record<PageName, PageFigures>>;
  readonly session: SessionFigures;
  /** The floor page's writes (one TEXT widget). */
  readonly floorWrites: { readonly written: number; readonly changed: number };
}

/**
 * Builds the floor app (bench/floor: an app.js that does nothing and one page with one TEXT widget and
 * one vibration) with the same pipeline and settings as ours, in a project folder of its own (under
 * `.build/` unless `dir` says where; emptied first).
 * Returns the path of its .zab.
 */
export async function buildFloor(
  root: string,
  dir: string = join(root, '.build', 'footprint', 'floor'),
): Promise<string> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'page', 'floor'), { recursive: true });
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  mkdirSync(join(dir, 'app-side'), { recursive: true });
  cpSync(join(root, 'bench', 'floor', 'app-side', 'index.ts'), join(dir, 'app-side', 'index.ts'));
  const appJson = JSON.parse(readFileSync(join(root, 'app.json'), 'utf8')) as {
    targets: { common: { module: Record<string, unknown> } };
  };
  appJson.targets.common.module = { page: { pages: [FLOOR_ROUTE] }, 'app-side': { path: 'app-side/index' } };
  writeFileSync(join(dir, 'app.json'), JSON.stringify(appJson, null, 2));
  cpSync(join(root, 'bench', 'floor', 'app.ts'), join(dir, 'app.ts'));
  cpSync(join(root, 'bench', 'floor', `${FLOOR_ROUTE}.ts`), join(dir, `${FLOOR_ROUTE}.ts`));
  cpSync(join(root, 'scripts', 'devices.json'), join(dir, 'scripts', 'devices.json'));
  cpSync(join(root, 'assets'), join(dir, 'assets'), { recursive: true });
  symlinkSync(realpathSync(join(root, 'node_modules')), join(dir, 'node_modules'), 'dir');
  const built = await buildZab('plain', {
    root: dir,
    stage: join(dir, '.build', 'stage'),
    home: join(dir, '.build', 'home'),
    out: join(dir, 'dist'),
  });
  return built.zab;
}

/** Bytecode sizes are the same for every copy of a file: compiled once per distinct content. */
const compiled = new Map<string, Promise<number>>();
function bytecodeOf(root: string, path: string, code: string): Promise<number> {
  const key = `${path}\0${code}`;
  let size = compiled.get(key);
  if (!size) {
    size = bytecodeBytes(qjscPath(root), path, new TextEncoder().encode(code));
    compiled.set(key, size);
  }
  return size;
}

interface FileFigures {
  readonly jsBytes: number;
  readonly bytecodeBytes: number;
  readonly sourceBytes: number;
  readonly messaging: boolean;
}

async function files(
  root: string,
  device: string,
  zab: string,
  paths: Record<string, string>,
): Promise<Record<string, FileFigures>> {
  const pkg = watchPackage(device, zab);
  const out: Record<string, FileFigures> = {};
  for (const [name, path] of Object.entries(paths)) {
    const code = pkg.files.get(path);
    if (code === undefined) throw new Error(`${path} is not in ${device}'s package of ${zab}`);
    out[name] = {
      jsBytes: Buffer.byteLength(code, 'utf8'),
      bytecodeBytes: await bytecodeOf(root, path, code),
      sourceBytes: sourceHeldBytes(code),
      messaging: code.includes('"device-message"'),
    };
  }
  return out;
}

const sizes = (f: FileFigures): { jsBytes: number; bytecodeBytes: number; sourceBytes: number } => ({
  jsBytes: f.jsBytes,
  bytecodeBytes: f.bytecodeBytes,
  sourceBytes: f.sourceBytes,
});

const heapOver = (w: Watch): number => w.heapBytes() - (w.baselineHeap ?? Number.NaN);

function expectPage(w: Watch, route: string, after: string): void {
  if (w.page !== route) throw new Error(`${after}: expected ${route}, on ${w.page ?? '(app closed)'}`);
}

/**
 * Measures one target: the floor app, then ours through home, the cues page, the question before a
 * session and one default session, then the resume page offering a session cut short (a second run:
 * started, killed, opened again).
 */
export async function measureTarget(
  root: string,
  device: string,
  appZab: string,
  floorZab: string,
): Promise<TargetFigures> {
  const floorFiles = await files(root, device, floorZab, { app: 'app.js', page: `${FLOOR_ROUTE}.js` });
  const ourFiles = await files(root, device, appZab, {
    'app.js': 'app.js',
    home: `${ROUTES.home}.js`,
    resume: `${ROUTES.resume}.js`,
    before: `${ROUTES.before}.js`,
    session: `${ROUTES.session}.js`,
    summary: `${ROUTES.summary}.js`,
    cues: `${ROUTES.cues}.js`,
  });

  const floor = await bootWatch({ device, zab: floorZab, sideService: false, measureHeap: true });
  let floorHeap: number;
  let floorWrites: { written: number; changed: number };
  try {
    floor.advance(100);
    expectPage(floor, FLOOR_ROUTE, 'floor launch');
    floorHeap = heapOver(floor);
    floorWrites = floor.widgetWrites()[FLOOR_ROUTE] ?? { written: 0, changed: 0 };
  } finally {
    floor.dispose();
  }

  // Home as on every launch but the first: the first one offers the wrist check (a page of its own,
  // once per install) before home, whose names would stay in the heap measured here.
  const w = await bootWatch({ device, zab: appZab, measureHeap: true, storage: { 'check.offered': '1' } });
  try {
    const api = String(w.device.api);
    const screen = `${w.device.shape === 'R' ? 'round' : 'square'} ${w.screen().width}x${w.screen().height}`;
    settleHome(w);
    expectPage(w, ROUTES.home, 'launch');
    const home = heapOver(w);
    w.tap('Feel the cues').advance(300);
    expectPage(w, ROUTES.cues, 'Feel the cues');
    const cues = heapOver(w);
    w.swipe('RIGHT').advance(300);
    expectPage(w, ROUTES.home, 'back from the cues');
    const firstTimer = w.timerCallbacks().length;
    // Start, a second on the pain question before the session (as long as reading it takes), then Skip.
    // (Left at once, the session page's heap is the same: test/e2e/boot.test.ts, platform fact M5.)
    w.tap('Start').advance(1000);
    expectPage(w, ROUTES.before, 'Start');
    const before = heapOver(w);
    w.tap('Skip');
    expectPage(w, ROUTES.session, 'Skip');
    const session = heapOver(w);
    w.advanceUntil((x) => x.page === ROUTES.summary, 30 * 60_000, 1000);
    const callbacks = w
      .timerCallbacks()
      .slice(firstTimer)
      .filter((c) => c.page === ROUTES.session);
    w.advance(300);
    const summary = heapOver(w);
    const writes = w.widgetWrites()[ROUTES.session] ?? { written: 0, changed: 0 };
    const resume = await resumeHeap(device, appZab);
    const page = (name: string, heapBytes: number): PageFigures => ({ ...sizes(ourFiles[name]!), heapBytes });
    return {
      device,
      messagingIn: Object.keys(ourFiles).filter((name) => ourFiles[name]!.messaging),
      screen,
      api,
      pages: {
        floor: { ...sizes(floorFiles.page!), heapBytes: floorHeap },
        // app.js alone: what stays resident under every page is in each page's heap.
        'app.js': { ...sizes(ourFiles['app.js']!), heapBytes: Number.NaN },
        home: page('home', home),
        resume: page('resume', resume),
        before: page('before', before),
        session: page('session', session),
        summary: page('summary', summary),
        cues: page('cues', cues),
      },
      session: {
        callbacks: callbacks.length,
        moments: new Set(callbacks.map((c) => c.t)).size,
        written: writes.written,
        changed: writes.changed,
      },
      floorWrites,
    };
  } finally {
    w.dispose();
  }
}

/**
 * The heap on the resume page as a session cut short leaves it: the session played by the page (screen
 * on, so no App Service is asked for), killed 20 s in, the app opened again.
 */
async function resumeHeap(device: string, appZab: string): Promise<number> {
  const w = await bootWatch({ device, zab: appZab, measureHeap: true, storage: { 'screen.mode': 'on' } });
  try {
    settleHome(w);
    startSession(w);
    w.advance(20_000).kill();
    w.relaunch();
    settleHome(w);
    expectPage(w, ROUTES.resume, 'relaunch after a kill mid-session');
    return heapOver(w);
  } finally {
    w.dispose();
  }
}

export interface Goal {
  readonly target: string;
  readonly what: string;
  readonly figure: string;
  readonly limit: string;
  readonly pass: boolean;
}

const KB = 1024;

/** Issue 13's goals, as checked against one target's figures. */
export function goals(t: TargetFigures): Goal[] {
  const goal = (what: string, value: number, limit: number, unit: 'KB' | '×' | 'B'): Goal => {
    const fmt = (n: number): string =>
      unit === 'KB' ? `${(n / KB).toFixed(1)} KB` : unit === '×' ? `${n.toFixed(2)}×` : `${n} B`;
    return { target: t.device, what, figure: fmt(value), limit: `≤ ${fmt(limit)}`, pass: value <= limit };
  };
  const s = t.session;
  const resident = ['app.js', 'session'].filter((f) => t.messagingIn.includes(f));
  return [
    {
      target: t.device,
      what: 'zml while a session runs (in app.js or the session page)',
      figure: resident.length ? resident.join(', ') : 'none',
      limit: 'none',
      pass: resident.length === 0,
    },
    goal('heap after the session page is built, above baseline', t.pages.session.heapBytes, 120 * KB, 'KB'),
    goal('heap after home is built, above baseline', t.pages.home.heapBytes, 150 * KB, 'KB'),
    goal('session page JavaScript (minified)', t.pages.session.jsBytes, 20 * KB, 'KB'),
    goal('home page JavaScript (minified)', t.pages.home.jsBytes, 25 * KB, 'KB'),
    goal('timer callbacks per distinct wake moment, default session', s.callbacks / s.moments, 1, '×'),
    goal('widget property writes per property changed, default session', s.written / s.changed, 1.2, '×'),
  ];
}
