import type { Translate } from '../base/i18n';
import type { Input, Keys, Program, Step, SubOf } from '../base/program';
import { formsToAsk, renderForm, type Haptics, type RenderedCue } from '../engine/haptics';
import { CUE_KINDS, type CueKind } from '../engine/timeline';
import {
  DARK_TIMER_MS,
  isKeyName,
  PROFILE_VERSION,
  readAnswer,
  type Answer,
  type CueAnswer,
  type DarkCheck,
  type KeyName,
  type Performance,
  type WatchProfile,
} from '../link/watch-profile';
import type { Strength } from '../plan/prescription';
import { latenessOf, pathWord, provenPath, type ThisWatch } from '../watch/profile';
import type { ScreenMode } from '../watch/screen';
import { encodeVoice } from '../watch/voice';
import { VOICE_DEFAULT, VOICE_VOLUMES, type VoiceSettings } from '../engine/voice';
import { VOICE_SAMPLE } from './voice';
import { fit } from './fit';
import { layoutFor, openEdge, type Layout } from './layout';
import { COLOR, styledButton, type View, type Widget } from './widgets';

/**
 * The wrist check (issue 23): about 90 s on the watch that teach each cue by name and ask whether it
 * was felt, in each form until one is (core/engine/haptics `formsToAsk`); test the dark path this
 * watch could use (API ≥ 4.0: the App Service buzzes after the screen went off, and the patient says
 * whether it was felt; below: the page arms a timer DARK_TIMER_MS ahead and lets the screen go off,
 * and records whether it outlived the screen and whether its timer fired in the dark); time a series
 * of timers; record the keys that arrive and whether a tap on text reaches the button beneath it; and
 * on API ≥ 4.0 read getPerformance. The result is the watch profile (core/link/watch-profile), kept on
 * the watch and sent to the phone. Skippable at every step, repeatable from Feel the cues.
 */

/** Timers in the lateness series, and the spacing of their deadlines. */
export const TIMER_SERIES = 10;
export const TIMER_SPACING_MS = 1000;
/** The page lets the screen go off this soon (setPageBrightTime's least) for the dark check. */
export const DARK_BRIGHT_MS = 1000;
/** Elsewhere the screen stays lit this long after the last touch: the timers and the questions need it on. */
export const CHECK_BRIGHT_MS = 60_000;
/** The loudest volume the voice settings offer: where a phrase not heard is said again. */
const LOUDEST = VOICE_VOLUMES[VOICE_VOLUMES.length - 1]!;
/** Where the check waits between pages while the screen is dark (a relaunch reads it back). */
export const CHECK_PROGRESS_KEY = 'check.progress';

export type CheckStep =
  | { readonly type: 'intro' }
  /** Cue `cue` (CUE_KINDS index) in its `form`-th form to ask. */
  | { readonly type: 'cue'; readonly cue: number; readonly form: number }
  /**
   * On a watch with a speaker (issue 25): a phrase of the session said, "Did you hear it?"; `louder`:
   * asked again at full volume after a no.
   */
  | { readonly type: 'hear'; readonly louder: boolean }
  | { readonly type: 'darkReady' }
  /** The screen is let go off; the page (below 4.0) or the App Service (4.0) fires at `deadline`. */
  | {
      readonly type: 'darkWait';
      readonly deadline: number;
      readonly firedAt: number | null;
      readonly inDark: boolean | null;
    }
  /** API ≥ 4.0, back from the dark: "Did you feel a buzz while the screen was dark?" */
  | { readonly type: 'darkAsk' }
  | { readonly type: 'timers'; readonly next: number; readonly deadline: number }
  | { readonly type: 'keys' }
  | { readonly type: 'done' };

/** The watch as the check knows it: the profile's device, and what getPerformance and the clock need. */
export interface CheckWatch extends ThisWatch {
  /** app.json appId: this app's entries in getPerformance. */
  readonly appId: number;
  readonly utcOffsetMin: number;
}

export interface CheckModel {
  readonly step: CheckStep;
  readonly watch: CheckWatch;
  readonly haptics: Haptics;
  readonly strength: Strength;
  readonly screen: ScreenMode;
  readonly cues: { readonly [K in CueKind]?: readonly CueAnswer[] };
  readonly dark: DarkCheck | null;
  readonly lateMs: readonly number[];
  readonly keys: readonly KeyName[] | null;
  readonly textTap: Answer;
  readonly performance: Performance | null;
  /** The last answer refused, for the screen to say why. */
  readonly refused: string | null;
  /** The finished profile, once saved. */
  readonly profile: WatchProfile | null;
  /** Reopened at wake from CHECK_PROGRESS_KEY: no page of ours beneath. */
  readonly relaunched: boolean;
  /** The watch has a speaker (its player could be made): the voice is asked about. */
  readonly speaker: boolean;
  /** The voice settings (core/watch/voice), as the answer about the voice leaves them. */
  readonly voice: VoiceSettings;
}

export type CheckEvent =
  | { readonly type: 'start'; readonly now: number }
  /** Skip this step (and a cue's every form); on the intro, the whole check. */
  | { readonly type: 'skip'; readonly now: number }
  /** yes / no / skip, from a tap or a key; anything else is refused. */
  | { readonly type: 'answer'; readonly answer: unknown; readonly now: number }
  /** Play the cue asked about again. */
  | { readonly type: 'again' }
  | { readonly type: 'darkStart'; readonly now: number }
  /** The one timer fired (`subscriptions`); `lit`: the Screen sensor said the screen was on then. */
  | { readonly type: 'wake'; readonly now: number; readonly lit: boolean }
  /** A button taken (`subscriptions`): what `checkKey` makes of it. */
  | { readonly type: 'input'; readonly input: Input; readonly now: number }
  /** The patient is back at the screen after the dark check (a tap on "I'm back"). */
  | { readonly type: 'back'; readonly now: number }
  /** A key's name, in the keys step (`keyNames`: every key is recorded then). */
  | { readonly type: 'key'; readonly key: unknown }
  /** A tap on the words reached the button beneath them (U3). */
  | { readonly type: 'textTap' }
  /** The patient says a tap on the words did nothing. */
  | { readonly type: 'textTapNo' }
  | { readonly type: 'keysDone'; readonly now: number }
  /** getPerformance's answer (any shape: checked here). */
  | { readonly type: 'performance'; readonly raw: unknown; readonly now: number }
  | { readonly type: 'close' }
  /** The screen during a session, dark ↔ on (the patient's own setting, core/watch/screen). */
  | { readonly type: 'screen' };

export type CheckEffect =
  | { readonly type: 'play'; readonly pattern: RenderedCue }
  /** Say these clips (core/engine/voice) at this volume. */
  | { readonly type: 'say'; readonly clips: readonly string[]; readonly volume: number }
  /** Keep the voice settings (core/watch/voice VOICE_FILE). */
  | { readonly type: 'saveVoice'; readonly text: string }
  /** Let the screen go off soon (setPageBrightTime DARK_BRIGHT_MS) and relaunch here at wake. */
  | { readonly type: 'letScreenOff' }
  /** Keep the screen lit while the patient answers (setPageBrightTime CHECK_BRIGHT_MS), no relaunch. */
  | { readonly type: 'keepScreen' }
  /** API ≥ 4.0: start the App Service probe, which buzzes at `at` if the screen is off. */
  | { readonly type: 'startProbe'; readonly at: number }
  | { readonly type: 'saveProgress'; readonly text: string }
  | { readonly type: 'clearProgress' }
  | { readonly type: 'readPerformance' }
  /** Keep the screen choice on the watch (it is the watch's own: the phone does not hold it). */
  | { readonly type: 'saveScreen'; readonly screen: ScreenMode }
  /** Keep the profile (core/watch/profile saveProfile) and send it to the phone. */
  | { readonly type: 'save'; readonly profile: WatchProfile }
  /**
   * Back to the page beneath (home or Feel the cues); `home`: the app was relaunched on this page at
   * wake after the system closed it in the dark, so nothing is beneath and home opens in its place.
   */
  | { readonly type: 'leave'; readonly home: boolean };

export interface CheckOpening {
  readonly watch: CheckWatch;
  readonly haptics: Haptics;
  readonly strength: Strength;
  readonly screen: ScreenMode;
  readonly now: number;
  /** CHECK_PROGRESS_KEY's text: the check was waiting in the dark when the page closed. */
  readonly progress?: string;
  /** The watch has a speaker; absent: none. */
  readonly speaker?: boolean;
  /** The voice settings kept (core/watch/voice); absent: the default. */
  readonly voice?: VoiceSettings;
}

type CheckStepResult = Step<CheckModel, CheckEffect>;

const serviceWatch = (m: CheckModel): boolean => m.watch.api >= 4;

function blank(o: CheckOpening): CheckModel {
  return {
    step: { type: 'intro' },
    watch: o.watch,
    haptics: o.haptics,
    strength: o.strength,
    screen: o.screen,
    cues: {},
    dark: null,
    lateMs: [],
    keys: null,
    textTap: 'skip',
    performance: null,
    refused: null,
    profile: null,
    relaunched: false,
    speaker: o.speaker ?? false,
    voice: o.voice ?? VOICE_DEFAULT,
  };
}

export type CheckSub = SubOf<'wake' | 'keyNames'> | Keys<'input'>;

/** The check as a program: fresh, or back from the dark when the page was closed while it waited. */
export function checkProgram(o: CheckOpening): Program<CheckModel, CheckEvent, CheckEffect, CheckSub> {
  return { init: reopen(o), update: updateCheck, subscriptions: checkSubs };
}

/**
 * What the check listens to: its one timer (the series' next deadline; below 4.0 the dark check's
 * until it fires), and the buttons: every key by name in the keys step, else select and back where
 * `checkKey` acts on them (any other is left to the system).
 */
export function checkSubs(m: CheckModel): CheckSub[] {
  const step = m.step;
  const subs: CheckSub[] = step.type === 'keys' ? [{ type: 'keyNames' }] : [];
  // Each as the `input` event, which `checkKey` turns into the step's own.
  const take: { select?: 'input'; back?: 'input' } = {};
  for (const which of ['select', 'back'] as const) if (checkKey(m, which, 0)) take[which] = 'input';
  if (take.select || take.back) subs.push({ type: 'keys', take });
  if (step.type === 'timers' || (step.type === 'darkWait' && !serviceWatch(m) && step.firedAt === null))
    subs.push({ type: 'wake', at: step.deadline });
  return subs;
}

/**
 * The page closed while the screen was dark (the system's 10 s rule, S1) and the app was relaunched at
 * wake: below 4.0 that is the answer (the page did not outlive the screen; its timer died with it, so
 * whether it would have fired in the dark is not known); on 4.0 the question about the service's buzz.
 */
function reopen(o: CheckOpening): CheckStepResult {
  const m = blank(o);
  let saved: { cues?: unknown } | null;
  try {
    saved = o.progress === undefined ? null : (JSON.parse(o.progress) as { cues?: unknown });
  } catch {
    saved = null;
  }
  if (!saved) return { model: m, effects: [{ type: 'keepScreen' }] };
  const cues = readSavedCues(saved.cues);
  const back: CheckModel = { ...m, cues, relaunched: true };
  const after: CheckEffect[] = [{ type: 'keepScreen' }, { type: 'clearProgress' }];
  if (serviceWatch(back)) return { model: { ...back, step: { type: 'darkAsk' } }, effects: after };
  return toTimers(
    { ...back, dark: { type: 'page', outlived: false, fired: null, lateMs: null } },
    o.now,
    after,
  );
}

function readSavedCues(x: unknown): CheckModel['cues'] {
  const out: { [K in CueKind]?: CueAnswer[] } = {};
  if (typeof x !== 'object' || x === null) return out;
  for (const cue of CUE_KINDS) {
    const list = (x as Record<string, unknown>)[cue];
    if (!Array.isArray(list)) continue;
    const answers: CueAnswer[] = [];
    for (const a of list as { form?: unknown; answer?: unknown }[]) {
      const answer = readAnswer(a?.answer);
      if (answer.ok && (a.form === 'asSet' || a.form === 'strong' || a.form === 'scenes'))
        answers.push({ form: a.form, answer: answer.value });
    }
    out[cue] = answers;
  }
  return out;
}

const formsOf = (m: CheckModel, cue: number): ReturnType<typeof formsToAsk> =>
  formsToAsk(CUE_KINDS[cue]!, m.strength, m.haptics);

function playCue(m: CheckModel, cue: number, form: number): CheckEffect {
  const kind = CUE_KINDS[cue]!;
  return { type: 'play', pattern: renderForm(kind, m.strength, m.haptics, formsOf(m, cue)[form]) };
}

function askCue(m: CheckModel, cue: number, form: number): CheckStepResult {
  return {
    model: { ...m, step: { type: 'cue', cue, form }, refused: null },
    effects: [playCue(m, cue, form)],
  };
}

function nextCue(m: CheckModel, cue: number): CheckStepResult {
  if (cue + 1 < CUE_KINDS.length) return askCue(m, cue + 1, 0);
  return m.speaker ? askHear(m, false) : toDark(m);
}

const toDark = (m: CheckModel, effects: CheckEffect[] = []): CheckStepResult => ({
  model: { ...m, step: { type: 'darkReady' }, refused: null },
  effects,
});

/** The voice's turn: a phrase of the session (the Voice page's sample) at the volume set, or at full. */
const sayHear = (m: CheckModel, louder: boolean): CheckEffect => ({
  type: 'say',
  clips: VOICE_SAMPLE,
  volume: louder ? LOUDEST : m.voice.volume,
});

function askHear(m: CheckModel, louder: boolean): CheckStepResult {
  return { model: { ...m, step: { type: 'hear', louder }, refused: null }, effects: [sayHear(m, louder)] };
}

/**
 * Heard: the voice on, at the volume it was heard at. Not heard even at full volume: the voice off, so
 * that no session relies on it. Skipped: the settings as they were.
 */
function heard(m: CheckModel, louder: boolean, answer: Answer): CheckStepResult {
  if (answer === 'no' && !louder) return askHear(m, true);
  if (answer === 'skip') return toDark(m);
  const voice: VoiceSettings =
    answer === 'yes'
      ? { ...m.voice, on: true, volume: louder ? LOUDEST : m.voice.volume }
      : { ...m.voice, on: false };
  return toDark({ ...m, voice }, [{ type: 'saveVoice', text: encodeVoice(voice) }]);
}

function toTimers(m: CheckModel, now: number, before: CheckEffect[] = []): CheckStepResult {
  const deadline = now + TIMER_SPACING_MS;
  return { model: { ...m, step: { type: 'timers', next: 0, deadline }, refused: null }, effects: before };
}

const toKeys = (m: CheckModel): CheckStepResult => ({
  model: { ...m, step: { type: 'keys' }, refused: null },
  effects: [],
});

/** The last step: getPerformance first on API ≥ 4.0, then the profile is made and kept. */
function finish(m: CheckModel, now: number): CheckStepResult {
  if (serviceWatch(m) && m.performance === null && m.step.type !== 'done')
    return {
      model: { ...m, step: { type: 'done' } },
      effects: [{ type: 'readPerformance' }],
    };
  const profile = profileOf(m, now);
  return { model: { ...m, step: { type: 'done' }, profile }, effects: [{ type: 'save', profile }] };
}

export function profileOf(m: CheckModel, now: number): WatchProfile {
  const cues = {} as { [K in CueKind]: readonly CueAnswer[] };
  for (const kind of CUE_KINDS) cues[kind] = m.cues[kind] ?? [];
  const lateness = latenessOf(m.lateMs);
  return {
    v: PROFILE_VERSION,
    device: { name: m.watch.name, source: m.watch.source },
    api: m.watch.api,
    at: now,
    utcOffsetMin: m.watch.utcOffsetMin,
    cues,
    dark: m.dark,
    lateness: lateness.ok ? lateness.value : null,
    keys: m.keys === null ? null : [...m.keys].sort(),
    textTap: m.textTap,
    performance: m.performance,
  };
}

function recordCue(m: CheckModel, cue: number, form: number, answer: Answer): CheckModel {
  const kind = CUE_KINDS[cue]!;
  const asked = formsOf(m, cue)[form]!;
  return { ...m, cues: { ...m.cues, [kind]: [...(m.cues[kind] ?? []), { form: asked, answer }] } };
}

export function updateCheck(m: CheckModel, e: CheckEvent): CheckStepResult {
  const step = m.step;
  const none: CheckStepResult = { model: m, effects: [] };
  switch (e.type) {
    case 'close':
      return { model: m, effects: [{ type: 'leave', home: m.relaunched }] };
    case 'input': {
      const next = (e.input === 'select' || e.input === 'back') && checkKey(m, e.input, e.now);
      return next ? updateCheck(m, next) : none;
    }
    case 'start':
      return step.type === 'intro' ? askCue(m, 0, 0) : none;
    case 'screen': {
      const screen: ScreenMode = m.screen === 'dark' ? 'on' : 'dark';
      return { model: { ...m, screen }, effects: [{ type: 'saveScreen', screen }] };
    }
    case 'again':
      if (step.type === 'hear') return { model: m, effects: [sayHear(m, step.louder)] };
      return step.type === 'cue' ? { model: m, effects: [playCue(m, step.cue, step.form)] } : none;
    case 'answer': {
      const answer = readAnswer(e.answer);
      if (!answer.ok) return { model: { ...m, refused: answer.error }, effects: [] };
      if (step.type === 'cue') {
        const next = recordCue(m, step.cue, step.form, answer.value);
        // Not felt: the next form, stronger or without the sequence durations, while there is one.
        if (answer.value === 'no' && step.form + 1 < formsOf(m, step.cue).length)
          return askCue(next, step.cue, step.form + 1);
        return nextCue(next, step.cue);
      }
      if (step.type === 'hear') return heard(m, step.louder, answer.value);
      if (step.type === 'darkAsk')
        return toTimers({ ...m, dark: { type: 'service', felt: answer.value } }, e.now);
      return none;
    }
    case 'skip':
      switch (step.type) {
        case 'intro':
          return { model: m, effects: [{ type: 'leave', home: false }] };
        case 'cue':
          return nextCue(recordCue(m, step.cue, step.form, 'skip'), step.cue);
        case 'hear':
          return toDark(m);
        case 'darkReady':
          return toTimers(m, e.now);
        case 'darkWait':
        case 'darkAsk':
          return toTimers(m, e.now, [{ type: 'keepScreen' }, { type: 'clearProgress' }]);
        case 'timers':
          return toKeys(m);
        case 'keys':
          return finish({ ...m, keys: null, textTap: 'skip' }, e.now);
        case 'done':
          return none;
      }
      return none;
    case 'darkStart': {
      if (step.type !== 'darkReady') return none;
      const deadline = e.now + DARK_TIMER_MS;
      // Below 4.0 the page's own timer (`subscriptions`) fires at the deadline; on 4.0 the App Service's.
      const effects: CheckEffect[] = [{ type: 'saveProgress', text: JSON.stringify({ cues: m.cues }) }];
      if (serviceWatch(m)) effects.push({ type: 'startProbe', at: deadline });
      effects.push({ type: 'letScreenOff' });
      return { model: { ...m, step: { type: 'darkWait', deadline, firedAt: null, inDark: null } }, effects };
    }
    case 'wake':
      if (step.type === 'darkWait' && !serviceWatch(m) && step.firedAt === null) {
        // The page's timer fired (the page is alive): in the dark, or held until the screen came back.
        const woke = { ...step, firedAt: e.now, inDark: !e.lit };
        return {
          model: { ...m, step: woke },
          effects: [{ type: 'play', pattern: renderForm('sessionDone', 'strong', m.haptics) }],
        };
      }
      if (step.type === 'timers') {
        const lateMs = [...m.lateMs, Math.max(0, e.now - step.deadline)];
        const next = step.next + 1;
        if (next >= TIMER_SERIES) return toKeys({ ...m, lateMs });
        // Each deadline is absolute: one late timer does not move the ones after it.
        const deadline = Math.max(step.deadline + TIMER_SPACING_MS, e.now + 1);
        return { model: { ...m, lateMs, step: { type: 'timers', next, deadline } }, effects: [] };
      }
      return none;
    case 'back': {
      if (step.type !== 'darkWait') return none;
      const after: CheckEffect[] = [{ type: 'keepScreen' }, { type: 'clearProgress' }];
      if (serviceWatch(m)) return { model: { ...m, step: { type: 'darkAsk' } }, effects: after };
      // The page is here, so it outlived the screen; its timer fired in the dark, or not (yet).
      const fired = step.firedAt === null ? false : step.inDark === true;
      const dark: DarkCheck = {
        type: 'page',
        outlived: true,
        fired,
        lateMs: step.firedAt === null ? null : Math.max(0, step.firedAt - step.deadline),
      };
      return toTimers({ ...m, dark }, e.now, after);
    }
    case 'key': {
      if (step.type !== 'keys' || !isKeyName(e.key)) return none;
      const keys = m.keys ?? [];
      return keys.includes(e.key) ? none : { model: { ...m, keys: [...keys, e.key] }, effects: [] };
    }
    case 'textTap':
      return step.type === 'keys' ? { model: { ...m, textTap: 'yes' }, effects: [] } : none;
    case 'textTapNo':
      return step.type === 'keys' ? { model: { ...m, textTap: 'no' }, effects: [] } : none;
    case 'keysDone':
      return step.type === 'keys' ? finish({ ...m, keys: m.keys ?? [] }, e.now) : none;
    case 'performance': {
      if (step.type !== 'done' || m.profile) return none;
      const performance = performanceOf(e.raw, m.watch.appId);
      return finish({ ...m, performance }, e.now);
    }
  }
}

type Obj = Record<string, unknown>;
const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : NaN);

/**
 * This app's part of `@zos/app` getPerformance (its reference page: memory.app[] and perf[] by appid,
 * each with modules per file), or null when the answer has not that shape.
 */
export function performanceOf(raw: unknown, appId: number): Performance | null {
  try {
    const r = raw as { memory?: { app?: Obj[] }; perf?: Obj | Obj[] };
    const mem = r.memory?.app?.find((a) => a.appid === appId);
    const perfs = Array.isArray(r.perf) ? r.perf : [r.perf];
    const perf = perfs.find((p) => p?.appid === appId);
    if (!mem) return null;
    const usedBytes = Math.round(num(mem.used));
    const peakBytes = Math.round(num(mem.peak));
    if (!Number.isFinite(usedBytes) || !Number.isFinite(peakBytes)) return null;
    const files: Performance['files'][number][] = [];
    for (const f of ((perf?.modules as Obj[] | undefined) ?? []).slice(0, 20)) {
      const times = [f.evalTime, f.createTime, f.initTime, f.buildTime].map(num);
      if (typeof f.file !== 'string' || times.some((t) => !Number.isFinite(t))) continue;
      files.push({
        file: f.file.slice(0, 120),
        evalMs: times[0]!,
        createMs: times[1]!,
        initMs: times[2]!,
        buildMs: times[3]!,
      });
    }
    return { usedBytes, peakBytes, files };
  } catch {
    return null;
  }
}

// ---- the view ------------------------------------------------------------------------------------

/** What a tap on the check's screen sends. */
export type CheckTap = Extract<
  CheckEvent,
  {
    type:
      | 'skip'
      | 'answer'
      | 'again'
      | 'darkStart'
      | 'back'
      | 'textTap'
      | 'textTapNo'
      | 'keysDone'
      | 'start'
      | 'close'
      | 'screen';
  }
>;

/** The check's screen: a heading, what to do, and at most three buttons. Taps carry the clock: the page adds it. */
export function checkView(m: CheckModel, ringLayout: Layout, t: Translate, now = 0): View<CheckTap> {
  const layout = layoutFor(ringLayout.screen, openEdge);
  const { font } = layout;
  const buttonH = Math.round(font.body * 2);
  const widgets: Widget<CheckTap>[] = [];
  const text = (
    id: string,
    value: string,
    fraction: number,
    lines: number,
    size: number,
    color: number = COLOR.text,
  ): void => {
    widgets.push({
      type: 'text',
      id,
      box: layout.rowAt(fraction, size * 1.25 * lines),
      text: value,
      size,
      color,
      ...(lines > 1 ? { wrap: true } : {}),
    });
  };
  const button = (
    id: string,
    msg: CheckTap,
    label: string,
    fraction: number,
    primary: boolean,
    width = 0.62,
  ): void => {
    widgets.push(styledButton(id, msg, label, layout.button(fraction, buttonH, width), font.body, primary));
  };
  const step = m.step;
  /** The answer's two buttons, side by side (yesNoBox); the select key is yes and back no (the page). */
  const yesNo = (): void => {
    widgets.push(
      styledButton(
        'yes',
        { type: 'answer', answer: 'yes', now },
        t('check.yes'),
        yesNoBox(layout, buttonH, -1),
        font.body,
        true,
      ),
      styledButton(
        'no',
        { type: 'answer', answer: 'no', now },
        t('check.no'),
        yesNoBox(layout, buttonH, 1),
        font.body,
        false,
      ),
    );
  };
  const heading = (key: string): void => text('heading', t(key), 0.2, 1, font.body, COLOR.accent);
  switch (step.type) {
    case 'intro':
      heading('check.title');
      text('body', t('check.intro'), 0.37, 3, font.small);
      button('start', { type: 'start', now }, t('check.start'), 0.56, true);
      // The patient's own setting for the screen during a session: "on" wins over any path proven here.
      widgets.push({
        type: 'button',
        id: 'screen',
        box: layout.button(0.7, Math.round(font.small * 1.6), 0.62),
        text: t('cues.screen', { mode: t(`screen.${m.screen}`) }),
        size: font.small,
        color: COLOR.accent,
        background: COLOR.background,
        pressed: COLOR.buttonPressed,
        msg: { type: 'screen' },
      });
      button('skip', { type: 'skip', now }, t('check.notNow'), 0.83, false, 0.5);
      break;
    case 'cue': {
      const kind = CUE_KINDS[step.cue]!;
      heading(`cue.${kind}`);
      text('feel', t(`check.feel.${kind}`), 0.3, 2, font.small, COLOR.muted);
      if (m.refused) text('ask', t('check.refused'), 0.45, 1, font.small, COLOR.warning);
      else text('ask', t(step.form === 0 ? 'check.felt' : 'check.feltNow'), 0.45, 1, font.body);
      yesNo();
      button('again', { type: 'again' }, t('check.again'), 0.75, false, 0.5);
      button('skip', { type: 'skip', now }, t('check.skip'), 0.88, false, 0.4);
      break;
    }
    case 'hear':
      heading('check.hearTitle');
      text('feel', t('check.hearSaid'), 0.3, 2, font.small, COLOR.muted);
      if (m.refused) text('ask', t('check.refused'), 0.45, 1, font.small, COLOR.warning);
      else text('ask', t(step.louder ? 'check.heardNow' : 'check.heard'), 0.45, 1, font.body);
      yesNo();
      button('again', { type: 'again' }, t('check.again'), 0.75, false, 0.5);
      button('skip', { type: 'skip', now }, t('check.skip'), 0.88, false, 0.4);
      break;
    case 'darkReady':
      heading('check.darkTitle');
      text('body', t(serviceWatch(m) ? 'check.darkService' : 'check.darkPage'), 0.42, 4, font.small);
      button('go', { type: 'darkStart', now }, t('check.darkGo'), 0.68, true);
      button('skip', { type: 'skip', now }, t('check.skip'), 0.84, false, 0.4);
      break;
    case 'darkWait':
      heading('check.darkTitle');
      text('body', t('check.darkWait'), 0.42, 4, font.small);
      button('back', { type: 'back', now }, t('check.darkBack'), 0.68, true);
      button('skip', { type: 'skip', now }, t('check.skip'), 0.84, false, 0.4);
      break;
    case 'darkAsk':
      heading('check.darkTitle');
      text(
        'ask',
        t(m.refused ? 'check.refused' : 'check.darkAsk'),
        0.38,
        3,
        font.small,
        m.refused ? COLOR.warning : COLOR.text,
      );
      yesNo();
      button('skip', { type: 'skip', now }, t('check.skip'), 0.8, false, 0.4);
      break;
    case 'timers':
      heading('check.timersTitle');
      text(
        'body',
        t('check.timers', { n: String(step.next), of: String(TIMER_SERIES) }),
        0.45,
        2,
        font.small,
      );
      button('skip', { type: 'skip', now }, t('check.skip'), 0.78, false, 0.4);
      break;
    case 'keys': {
      heading('check.keysTitle');
      text('body', t('check.keys'), 0.3, 2, font.small);
      text('seen', m.keys && m.keys.length ? m.keys.join(' ') : '–', 0.43, 2, font.small, COLOR.accent);
      // The words lie over a button of their own box: a tap on them reaches it only if taps pass
      // through text (U3). Nothing else is under them.
      const words = layout.button(0.56, buttonH, 0.7);
      widgets.push(
        {
          type: 'button',
          id: 'under',
          box: words,
          text: '',
          size: font.small,
          color: COLOR.text,
          background: COLOR.background,
          pressed: COLOR.buttonPressed,
          msg: { type: 'textTap' },
        },
        {
          type: 'text',
          id: 'words',
          box: words,
          text: t(m.textTap === 'yes' ? 'check.tapSeen' : 'check.tapWords'),
          size: font.small,
          color: m.textTap === 'yes' ? COLOR.accent : COLOR.text,
        },
      );
      widgets.push(
        styledButton(
          'nothing',
          { type: 'textTapNo' },
          t('check.tapNothing'),
          yesNoBox(layout, buttonH, -1, 0.72),
          font.small,
          false,
        ),
        styledButton(
          'next',
          { type: 'keysDone', now },
          t('check.next'),
          yesNoBox(layout, buttonH, 1, 0.72),
          font.small,
          true,
        ),
      );
      break;
    }
    case 'done': {
      heading('check.doneTitle');
      const path = m.profile ? pathWord(provenPath(m.profile), m.screen) : null;
      text('body', path ? t(`check.path.${path}`) : t('check.saving'), 0.42, 4, font.small);
      button('close', { type: 'close' }, t('check.close'), 0.72, true);
      break;
    }
  }
  return fit(widgets);
}

/** Two buttons side by side: `side` −1 left, 1 right. */
function yesNoBox(
  layout: Layout,
  h: number,
  side: -1 | 1,
  fraction = 0.6,
): { x: number; y: number; w: number; h: number } {
  const row = layout.button(fraction, h, 0.8);
  const gap = Math.round(layout.font.small * 0.4);
  const w = Math.floor((row.w - gap) / 2);
  return { x: side < 0 ? row.x : row.x + w + gap, y: row.y, w, h: row.h };
}

/**
 * A button on the watch (page/lib/input's meanings): select does the step's main thing (yes, start, go,
 * I'm back, next, close), back answers no where there is a question and skips elsewhere. The keys step
 * records every key instead (`keyNames`: `key` events).
 */
export function checkKey(m: CheckModel, which: 'select' | 'back', now: number): CheckEvent | null {
  const step = m.step;
  const yes = which === 'select';
  switch (step.type) {
    case 'intro':
      return yes ? { type: 'start', now } : { type: 'skip', now };
    case 'cue':
    case 'hear':
    case 'darkAsk':
      return { type: 'answer', answer: yes ? 'yes' : 'no', now };
    case 'darkReady':
      return yes ? { type: 'darkStart', now } : { type: 'skip', now };
    case 'darkWait':
      return yes ? { type: 'back', now } : { type: 'skip', now };
    case 'timers':
      return yes ? null : { type: 'skip', now };
    case 'keys':
      return null;
    case 'done':
      return m.profile ? { type: 'close' } : null;
  }
}
