import { cuesView } from '../../core/screens/cues';
import { SHOWN, voiceView } from '../../core/screens/voice';
import { VOICE_DEFAULT } from '../../core/engine/voice';
import { homeView, type HomeModel } from '../../core/screens/home';
import { resumeView, type ResumeModel } from '../../core/screens/resume';
import type { Translate } from '../../core/base/i18n';
import { layoutFor, type Layout, type Screen } from '../../core/screens/layout';
import { checkProgram, checkView, profileOf, type CheckModel } from '../../core/screens/wrist-check';
import { positionAt } from '../../core/engine/position';
import { remindersModel, remindersView } from '../../core/screens/reminders';
import { DEFAULT_PRESCRIPTION, MAXIMAL_PRESCRIPTION } from '../../core/plan/prescription';
import { sessionView } from '../../core/screens/session';
import { beforeProgram, summaryModel, summaryView, type SummaryModel } from '../../core/screens/summary';
import { buildTimeline, type Timeline } from '../../core/engine/timeline';
import type { View } from '../../core/screens/widgets';

/**
 * Every state each watch screen can be in, as views for one screen and language: what the layout tests
 * (test/core/screens/screens.test.ts) and the text measurements (measured.test.ts) go through.
 */
export const timelineOf = (p: object): Timeline => {
  const t = buildTimeline(p);
  if (!t.ok) throw new Error('bad prescription');
  return t.value;
};
export const DEFAULT_TIMELINE = timelineOf(DEFAULT_PRESCRIPTION);

export const HOME: HomeModel = {
  plan: { rounds: 3, totalMs: DEFAULT_TIMELINE.totalMs },
  today: { done: 1, target: 2 },
  unsent: 3,
  outboxFull: false,
  streak: 12,
};
const RESUME_STATES: readonly ResumeModel[] = [
  { stage: 'opening', full: false },
  { stage: 'interrupted', full: false },
  { stage: 'interrupted', full: true },
  { stage: 'blocked', full: true },
  { stage: 'unreadable', full: false },
];
export const SUMMARY: SummaryModel = summaryModel({
  id: 'mhz3k2w00-abcdefghjk',
  outcome: 'completed',
  roundsDone: 3,
  roundsPlanned: 3,
  activeMs: 217_000,
  stored: true,
});

export const SUMMARY_BEFORE = beforeProgram.init.model;

/** Every state each screen can be in, for one layout and translator, named. */
export function allViews(screen: Screen, t: Translate): [string, View][] {
  const layout = layoutFor(screen);
  const views: [string, View][] = [
    ['home', homeView(HOME, layout, t)],
    ['home full', homeView({ ...HOME, outboxFull: true, unsent: 100 }, layout, t)],
    ...RESUME_STATES.map((m): [string, View] => [
      `resume ${m.stage}${m.full ? ' full' : ''}`,
      resumeView(m, layout, t),
    ]),
    ['summary rate', summaryView({ ...SUMMARY, pain: 10 }, layout, t)],
    ['summary done', summaryView({ ...SUMMARY, stage: 'done' }, layout, t)],
    ['summary full', summaryView({ ...SUMMARY, stage: 'done', stored: false }, layout, t)],
    ['summary before', summaryView({ ...SUMMARY_BEFORE, pain: 10 }, layout, t)],
    [
      'summary done measured',
      summaryView(
        { ...SUMMARY, stage: 'done', painBefore: 3, pain: 10, hrStart: 172, hrEnd: 164 },
        layout,
        t,
      ),
    ],
    [
      'summary done partly measured',
      summaryView({ ...SUMMARY, stage: 'done', painBefore: 10, pain: null, hrStart: 72 }, layout, t),
    ],
    ['cues', cuesView(null, 'medium', layout, t)],
    ['cues playing', cuesView('sessionDone', 'strong', layout, t)],
    ['cues light', cuesView('inhale', 'light', layout, t)],
    ...SHOWN.map((s, step): [string, View] => [
      `voice ${s.kind}`,
      voiceView({ voice: VOICE_DEFAULT, speaker: true, step }, layout, t),
    ]),
    [
      'voice every',
      voiceView({ voice: { on: true, breaths: 'every', volume: 100 }, speaker: true, step: 0 }, layout, t),
    ],
    ['voice off', voiceView({ voice: { ...VOICE_DEFAULT, on: false }, speaker: true, step: 0 }, layout, t)],
    ['voice no speaker', voiceView({ voice: VOICE_DEFAULT, speaker: false, step: 0 }, layout, t)],
    ['home with reminders', homeView({ ...HOME, reminders: ['09:00', '17:45'] }, layout, t)],
    ['reminders', remindersView(remindersModel(DEFAULT_PRESCRIPTION), layout, t)],
    [
      'reminders saved',
      remindersView(
        remindersModel({ ...DEFAULT_PRESCRIPTION, reminders: ['09:00', '17:45'] }, 'saved'),
        layout,
        t,
      ),
    ],
    ...(['duplicate', 'sending', 'pending', 'superseded'] as const).map((s): [string, View] => [
      `reminders ${s}`,
      remindersView(remindersModel(DEFAULT_PRESCRIPTION, s), layout, t),
    ]),
    ...checkViews(layout, t),
  ];
  for (const tl of [DEFAULT_TIMELINE, timelineOf(MAXIMAL_PRESCRIPTION)]) {
    for (const [index, cue] of tl.cues.entries()) {
      for (const paused of [false, true]) {
        const position = positionAt(tl, cue.atMs + 1);
        views.push([
          `session ${index} ${paused ? 'paused' : ''}`,
          sessionView({ position, paused, prescription: tl.prescription }, layout, t),
        ]);
      }
    }
  }
  return views;
}

/** The wrist check (core/screens/wrist-check) in each of its steps, on an API 3.0 and an API 4.4 watch. */
export function checkViews(layout: Layout, t: Translate): [string, View][] {
  const watch = (api: number) => ({ name: 'Amazfit', source: 1, api, appId: 1, utcOffsetMin: 0 });
  const open = (api: number): CheckModel =>
    checkProgram({
      watch: watch(api),
      haptics: api >= 3.6 ? 'sequence' : 'timed',
      strength: 'medium',
      screen: 'dark',
      now: 0,
    }).init.model;
  const old = open(3.0);
  const api4 = open(4.4);
  const done = (
    m: CheckModel,
    dark: CheckModel['dark'],
    screen: CheckModel['screen'] = 'dark',
  ): CheckModel => {
    const at = { ...m, dark, screen };
    return { ...at, step: { type: 'done' }, profile: profileOf(at, Date.UTC(2026, 10, 25)) };
  };
  const states: [string, CheckModel][] = [
    ['intro', old],
    ['cue', { ...old, step: { type: 'cue', cue: 5, form: 0 } }],
    ['cue stronger', { ...old, step: { type: 'cue', cue: 4, form: 1 } }],
    ['cue refused', { ...old, step: { type: 'cue', cue: 0, form: 0 }, refused: 'x' }],
    ['hear', { ...old, speaker: true, step: { type: 'hear', louder: false } }],
    ['hear louder', { ...old, speaker: true, step: { type: 'hear', louder: true } }],
    ['dark ready page', { ...old, step: { type: 'darkReady' } }],
    ['dark ready service', { ...api4, step: { type: 'darkReady' } }],
    ['dark wait', { ...old, step: { type: 'darkWait', deadline: 0, firedAt: null, inDark: null } }],
    ['dark ask', { ...api4, step: { type: 'darkAsk' } }],
    ['timers', { ...old, step: { type: 'timers', next: 7, deadline: 0 } }],
    ['keys', { ...old, step: { type: 'keys' } }],
    [
      'keys seen',
      { ...api4, step: { type: 'keys' }, keys: ['SELECT', 'BACK', 'UP', 'DOWN', 'HOME'], textTap: 'yes' },
    ],
    ['saving', { ...api4, step: { type: 'done' } }],
    ['done service', done(api4, { type: 'service', felt: 'yes' })],
    ['done dark', done(old, { type: 'page', outlived: true, fired: true, lateMs: 3 })],
    ['done dim', done(old, null)],
    ['done on', done(old, null, 'on')],
  ];
  return states.map(([name, m]) => [`check ${name}`, checkView(m, layout, t)]);
}
