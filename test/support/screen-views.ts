import { cuesView } from '../../core/screens/cues';
import { SHOWN, voiceView } from '../../core/screens/voice';
import { VOICE_DEFAULT } from '../../core/engine/voice';
import { homeView, type HomeModel } from '../../core/screens/home';
import { resumeView, type ResumeModel } from '../../core/screens/resume';
import type { Translate } from '../../core/base/i18n';
import { layoutFor, type Screen } from '../../core/screens/layout';
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
    ['cues screen on', cuesView(null, 'medium', layout, t, 'on')],
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
  ];
  for (const tl of [DEFAULT_TIMELINE, timelineOf(MAXIMAL_PRESCRIPTION)]) {
    for (const cue of tl.cues) {
      for (const paused of [false, true]) {
        const position = positionAt(tl, cue.atMs + 1);
        views.push([
          `session ${cue.index} ${paused ? 'paused' : ''}`,
          sessionView({ position, paused, prescription: tl.prescription }, layout, t),
        ]);
      }
    }
  }
  return views;
}
