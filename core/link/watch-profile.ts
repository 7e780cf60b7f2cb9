import { err, ok, type Result } from '../base/result';

/**
 * The watch profile: what the wrist check found out about this watch (docs/platform-facts.md, the
 * column "how the app learns it"). Made on the watch, kept there (core/watch/profile) and sent to the
 * phone (`profile.put`, core/link/protocol), which shows it under "This watch" and as a plain-text
 * report (`profileReport`). Both sides read it with `readProfile`: everything is checked on arrival.
 *
 * A profile belongs to one watch: `device.source` is getDeviceInfo's deviceSource, and a profile made
 * on another watch (a backup restored onto a new one) is ignored by the watch (core/watch/profile).
 */
export const PROFILE_VERSION = 1;

/** The patient's answer to "Felt it?" and the like. Anything else is refused with the rule. */
export const ANSWERS = ['yes', 'no', 'skip'] as const;
export type Answer = (typeof ANSWERS)[number];

/** The cue names the profile answers for: core/engine/timeline CUE_KINDS (core/watch/profile holds them equal). */
export const PROFILE_CUES = [
  'stepStart',
  'sweepTick',
  'inhale',
  'exhale',
  'roundDone',
  'sessionDone',
] as const;
export type ProfileCue = (typeof PROFILE_CUES)[number];

/**
 * How a cue was played when asked: `asSet` as the session would play it (the patient's strength, this
 * watch's motor form), `strong` with the strongest tick, `scenes` as the scene form of API < 3.6 plays
 * it (strongest tick), which relies on no CONTINUOUS or PAUSE duration (V2). Asked in this order until
 * one is felt; a form that would play exactly as the one before is not asked.
 */
export const CUE_FORMS = ['asSet', 'strong', 'scenes'] as const;
export type CueForm = (typeof CUE_FORMS)[number];

export interface CueAnswer {
  readonly form: CueForm;
  readonly answer: Answer;
}

/** The dark path this watch could use, and what the check found. */
export type DarkCheck =
  /** API ≥ 4.0: the App Service played a cue after the screen had gone off (V3). */
  | { readonly type: 'service'; readonly felt: Answer }
  /**
   * API < 4.0: the page armed a timer DARK_TIMER_MS ahead and let the screen go off. `outlived`: the
   * page was still open at wake (S1); `fired`: its timer fired while the screen was off (T4), `lateMs`
   * after its deadline. null: not known (the check was skipped or cut short).
   */
  | {
      readonly type: 'page';
      readonly outlived: boolean | null;
      readonly fired: boolean | null;
      readonly lateMs: number | null;
    };

/** A series of timers' lateness (T1): how many, the largest and the 95th percentile, ms. */
export interface Lateness {
  readonly n: number;
  readonly maxMs: number;
  readonly p95Ms: number;
}

/** `@zos/app` getPerformance (API ≥ 4.0): this app's memory, bytes, and its files' load times, ms. */
export interface Performance {
  readonly usedBytes: number;
  readonly peakBytes: number;
  readonly files: readonly {
    readonly file: string;
    readonly evalMs: number;
    readonly createMs: number;
    readonly initMs: number;
    readonly buildMs: number;
  }[];
}

export interface WatchProfile {
  readonly v: typeof PROFILE_VERSION;
  /** getDeviceInfo: the watch's product name as the catalog gives it, and its deviceSource. */
  readonly device: { readonly name: string; readonly source: number };
  /** getSystemInfo minAPI, as a number (3.7). */
  readonly api: number;
  /** When the check ended (epoch ms) and the watch's UTC offset then. */
  readonly at: number;
  readonly utcOffsetMin: number;
  /** Per cue, the forms asked and the answers, in order. */
  readonly cues: { readonly [K in ProfileCue]: readonly CueAnswer[] };
  /** null: skipped. */
  readonly dark: DarkCheck | null;
  readonly lateness: Lateness | null;
  /** The key codes that arrived (U4), by name, sorted; null: skipped. */
  readonly keys: readonly string[] | null;
  /** A tap on a TEXT reached the BUTTON beneath (U3). */
  readonly textTap: Answer;
  /** API ≥ 4.0 only. */
  readonly performance: Performance | null;
}

/** Timer lead of the dark check on API < 4.0: past the 10 s the docs give a page after screen-off (S1). */
export const DARK_TIMER_MS = 15_000;

const KEY_NAMES = ['HOME', 'SHORTCUT', 'SELECT', 'BACK', 'UP', 'DOWN'] as const;
export type KeyName = (typeof KEY_NAMES)[number];
export const isKeyName = (x: unknown): x is KeyName =>
  typeof x === 'string' && (KEY_NAMES as readonly string[]).includes(x);

/** An answer as the patient gave it, or the rule it broke. */
export function readAnswer(x: unknown): Result<Answer, string> {
  return typeof x === 'string' && (ANSWERS as readonly string[]).includes(x)
    ? ok(x as Answer)
    : err(`An answer must be yes, no or skip; got ${shown(x)}.`);
}

function shown(x: unknown): string {
  try {
    return (JSON.stringify(x) ?? String(x)).slice(0, 40);
  } catch {
    return '?';
  }
}

type Obj = { readonly [k: string]: unknown };
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isNum = (x: unknown, min: number, max: number): x is number =>
  typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max;
const isInt = (x: unknown, min: number, max: number): x is number =>
  isNum(x, min, max) && Number.isInteger(x);
const DAY = 86_400_000;
/** The same window session logs accept: 2020–2100. */
const isTime = (x: unknown): x is number => isInt(x, Date.UTC(2020, 0, 1), Date.UTC(2100, 0, 1) - 1);
const MAX_MS = 10 * DAY;

function readCues(x: unknown): Result<WatchProfile['cues'], string> {
  if (!isObj(x)) return err('cues must be an object with one list per cue');
  const out: { [K in ProfileCue]?: CueAnswer[] } = {};
  for (const cue of PROFILE_CUES) {
    const list = x[cue];
    if (!Array.isArray(list) || list.length > CUE_FORMS.length)
      return err(`cues.${cue} must be a list of at most ${CUE_FORMS.length} answers`);
    const answers: CueAnswer[] = [];
    for (const item of list) {
      if (!isObj(item) || !(CUE_FORMS as readonly unknown[]).includes(item.form))
        return err(`cues.${cue}: each answer names its form (${CUE_FORMS.join(', ')})`);
      const a = readAnswer(item.answer);
      if (!a.ok) return err(`cues.${cue}: ${a.error}`);
      answers.push({ form: item.form as CueForm, answer: a.value });
    }
    out[cue] = answers;
  }
  return ok(out as WatchProfile['cues']);
}

const boolOrNull = (x: unknown): x is boolean | null => x === null || typeof x === 'boolean';

function readDark(x: unknown): Result<DarkCheck | null, string> {
  if (x === null) return ok(null);
  if (!isObj(x)) return err('dark must be null or an object');
  if (x.type === 'service') {
    const felt = readAnswer(x.felt);
    return felt.ok ? ok({ type: 'service', felt: felt.value }) : err(`dark.felt: ${felt.error}`);
  }
  if (x.type === 'page') {
    if (!boolOrNull(x.outlived) || !boolOrNull(x.fired))
      return err('dark.outlived and dark.fired must each be true, false or null');
    if (x.lateMs !== null && !isInt(x.lateMs, 0, MAX_MS))
      return err(`dark.lateMs must be null or a whole number of ms 0–${MAX_MS}`);
    return ok({ type: 'page', outlived: x.outlived, fired: x.fired, lateMs: x.lateMs as number | null });
  }
  return err('dark.type must be "service" or "page"');
}

function readLateness(x: unknown): Result<Lateness | null, string> {
  if (x === null) return ok(null);
  if (!isObj(x) || !isInt(x.n, 1, 1000) || !isInt(x.maxMs, 0, MAX_MS) || !isInt(x.p95Ms, 0, MAX_MS))
    return err(`lateness must be null or {n 1–1000, maxMs, p95Ms whole ms 0–${MAX_MS}}`);
  if (x.p95Ms > x.maxMs) return err('lateness.p95Ms cannot exceed lateness.maxMs');
  return ok({ n: x.n, maxMs: x.maxMs, p95Ms: x.p95Ms });
}

const MAX_FILES = 20;
function readPerformance(x: unknown): Result<Performance | null, string> {
  if (x === null) return ok(null);
  const big = 1 << 30;
  if (!isObj(x) || !isInt(x.usedBytes, 0, big) || !isInt(x.peakBytes, 0, big))
    return err('performance must be null or hold usedBytes and peakBytes, whole bytes');
  if (!Array.isArray(x.files) || x.files.length > MAX_FILES)
    return err(`performance.files must be a list of at most ${MAX_FILES}`);
  const files: Performance['files'][number][] = [];
  for (const f of x.files) {
    if (
      !isObj(f) ||
      typeof f.file !== 'string' ||
      f.file.length > 120 ||
      !isNum(f.evalMs, 0, MAX_MS) ||
      !isNum(f.createMs, 0, MAX_MS) ||
      !isNum(f.initMs, 0, MAX_MS) ||
      !isNum(f.buildMs, 0, MAX_MS)
    )
      return err('performance.files: each needs file (text) and evalMs, createMs, initMs, buildMs (ms)');
    files.push({
      file: f.file,
      evalMs: f.evalMs,
      createMs: f.createMs,
      initMs: f.initMs,
      buildMs: f.buildMs,
    });
  }
  return ok({ usedBytes: x.usedBytes, peakBytes: x.peakBytes, files });
}

/** A profile as stored or sent, checked whole; the error names the first field that is wrong and the rule. */
export function readProfile(x: unknown): Result<WatchProfile, string> {
  if (!isObj(x)) return err('a watch profile must be an object');
  if (x.v !== PROFILE_VERSION)
    return err(`watch profile version ${shown(x.v)}; this app reads ${PROFILE_VERSION}`);
  const d = x.device;
  if (!isObj(d) || typeof d.name !== 'string' || d.name.length > 80 || !isInt(d.source, 0, 2 ** 32))
    return err('device must be {name (text up to 80), source (getDeviceInfo deviceSource)}');
  if (!isNum(x.api, 1, 99)) return err(`api must be the API level, a number like 3.7; got ${shown(x.api)}`);
  if (!isTime(x.at)) return err('at must be epoch ms in 2020–2100');
  if (!isInt(x.utcOffsetMin, -720, 840)) return err('utcOffsetMin must be a whole number −720…840');
  const cues = readCues(x.cues);
  if (!cues.ok) return cues;
  const dark = readDark(x.dark);
  if (!dark.ok) return dark;
  const lateness = readLateness(x.lateness);
  if (!lateness.ok) return lateness;
  if (x.keys !== null && (!Array.isArray(x.keys) || !x.keys.every(isKeyName)))
    return err(`keys must be null or a list of ${KEY_NAMES.join(', ')}`);
  const textTap = readAnswer(x.textTap);
  if (!textTap.ok) return err(`textTap: ${textTap.error}`);
  const performance = readPerformance(x.performance);
  if (!performance.ok) return performance;
  return ok({
    v: PROFILE_VERSION,
    device: { name: d.name, source: d.source },
    api: x.api,
    at: x.at,
    utcOffsetMin: x.utcOffsetMin,
    cues: cues.value,
    dark: dark.value,
    lateness: lateness.value,
    keys: x.keys === null ? null : [...new Set(x.keys as KeyName[])].sort(),
    textTap: textTap.value,
    performance: performance.value,
  });
}

/** The form a cue is played in: as set, unless it was not felt that way and a stronger form was (or is all there is). */
export function formOf(answers: readonly CueAnswer[]): CueForm {
  const first = answers[0];
  if (!first || first.answer !== 'no') return 'asSet';
  const felt = answers.slice(1).find((a) => a.answer === 'yes');
  return felt?.form ?? answers[answers.length - 1]!.form;
}

/**
 * The darkest path this profile proves: the App Service with the screen off where its buzz in the
 * dark was felt (API ≥ 4.0), the page with the screen allowed off where the page outlived the screen
 * and its timer fired in the dark (API < 4.0); otherwise none (the page plays it, screen dimmed).
 */
export function provenPath(p: WatchProfile): 'service' | 'dark' | null {
  const d = p.dark;
  if (d?.type === 'service') return d.felt === 'yes' && p.api >= 4 ? 'service' : null;
  if (d?.type === 'page') return d.outlived === true && d.fired === true ? 'dark' : null;
  return null;
}

/** A profile's stored and sent text. */
export const encodeProfile = (p: WatchProfile): string => JSON.stringify(p);

/** The profile's text, read and checked. */
export function decodeProfile(text: string): Result<WatchProfile, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return err('watch profile: not JSON');
  }
  return readProfile(raw);
}

/** What one check found, in the report's words. */
export type Finding = 'felt' | 'not felt' | 'not checked' | 'yes' | 'no';

const answerWord = (a: Answer | undefined, yes: Finding, no: Finding): Finding =>
  a === 'yes' ? yes : a === 'no' ? no : 'not checked';

/** The cue's finding: felt as the session plays it, felt only in a stronger form, or not felt at all. */
export function cueFinding(answers: readonly CueAnswer[]): string {
  const first = answers[0];
  if (!first || first.answer === 'skip') return 'not checked';
  if (first.answer === 'yes') return 'felt';
  const later = answers.slice(1).find((a) => a.answer === 'yes');
  return later ? `not felt; felt as ${later.form}` : 'not felt';
}

/** The session path this profile proves, in the report's words (core/watch/profile decides it). */
export function darkFindings(p: WatchProfile): readonly (readonly [string, string])[] {
  const d = p.dark;
  if (d?.type === 'service')
    return [['V3 motor in the App Service with the screen off', answerWord(d.felt, 'felt', 'not felt')]];
  const bool = (b: boolean | null | undefined): Finding =>
    b === true ? 'yes' : b === false ? 'no' : 'not checked';
  const late = d?.type === 'page' && d.lateMs !== null ? `, ${d.lateMs} ms late` : '';
  return [
    ['S1 page still open after the screen was off for 15 s', bool(d?.outlived)],
    ['T4 page timer fired with the screen off', `${bool(d?.fired)}${d?.fired ? late : ''}`],
  ];
}

const pad = (n: number): string => String(n).padStart(2, '0');
/** The profile's local date and time, "2026-11-25 14:00 UTC+1". */
export function profileTime(p: Pick<WatchProfile, 'at' | 'utcOffsetMin'>): string {
  const d = new Date(p.at + p.utcOffsetMin * 60_000);
  const off = p.utcOffsetMin;
  const zone =
    off === 0
      ? 'UTC'
      : `UTC${off > 0 ? '+' : '−'}${Math.floor(Math.abs(off) / 60)}${Math.abs(off) % 60 ? `:${pad(Math.abs(off) % 60)}` : ''}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} ${zone}`;
}

/** Lateness over recent sessions, as the phone works it out from their logs (core/phone). */
export interface SessionLateness {
  readonly sessions: number;
  readonly maxMs: number;
  readonly p95Ms: number;
}

/**
 * The plain-text watch report for the clinic or the maker: the device, the API level, each platform
 * fact the check tests with its answer (felt / not felt / not checked, yes / no) and the figures. In
 * English, the language of the platform's documentation and of bug reports to the maker.
 */
export function profileReport(p: WatchProfile, appVersion: string, sessions?: SessionLateness): string {
  const lines: string[] = [
    `Decompress ${appVersion}: watch report`,
    `Device: ${p.device.name} (deviceSource ${p.device.source}), API level ${p.api}`,
    `Checked: ${profileTime(p)}`,
    '',
  ];
  for (const [fact, finding] of darkFindings(p)) lines.push(`${fact}: ${finding}`);
  for (const cue of PROFILE_CUES) lines.push(`V2 cue ${cue}: ${cueFinding(p.cues[cue])}`);
  lines.push(
    p.lateness
      ? `T1 timer lateness: max ${p.lateness.maxMs} ms, 95th percentile ${p.lateness.p95Ms} ms (${p.lateness.n} timers)`
      : 'T1 timer lateness: not checked',
    `U3 a tap on text reaches the button beneath: ${answerWord(p.textTap, 'yes', 'no')}`,
    `U4 keys that arrived: ${p.keys === null ? 'not checked' : p.keys.length ? p.keys.join(', ') : 'none'}`,
  );
  const perf = p.performance;
  if (perf) {
    lines.push(`Memory: used ${kb(perf.usedBytes)}, peak ${kb(perf.peakBytes)}`);
    for (const f of perf.files)
      lines.push(
        `  ${f.file}: eval ${f.evalMs} ms, create ${f.createMs} ms, init ${f.initMs} ms, build ${f.buildMs} ms`,
      );
  } else lines.push('Memory and load times: not available (API below 4.0)');
  if (sessions)
    lines.push(
      `Sessions: cue lateness over the last ${sessions.sessions}: max ${sessions.maxMs} ms, 95th percentile ${sessions.p95Ms} ms`,
    );
  return lines.join('\n');
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
