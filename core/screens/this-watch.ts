import type { Translate } from '../base/i18n';
import type { SessionLog } from '../log/session-log';
import {
  PROFILE_CUES,
  profileReport,
  profileTime,
  provenPath,
  type Answer,
  type CueAnswer,
  type WatchProfile,
} from '../link/watch-profile';

/**
 * "This watch" on the phone's Settings page: for each watch that sent its wrist check (core/phone/
 * watch-profiles), what it answered, the path its sessions take, and the plain-text watch report to
 * select and copy for the clinic or the maker (core/link/watch-profile `profileReport`, in English).
 */
export interface WatchSection {
  readonly heading: string;
  readonly path: string;
  /** One line per fact the check tests, in the patient's language. */
  readonly lines: readonly string[];
  readonly reportLabel: string;
  readonly report: string;
}

export interface ThisWatchView {
  readonly title: string;
  readonly description: string;
  /** Said when no watch has sent a check. */
  readonly empty?: string;
  readonly watches: readonly WatchSection[];
  /** What the latest sessions measured of themselves (`sessionFigures`), in lines. */
  readonly sessions: { readonly heading: string; readonly lines: readonly string[] };
}

/** How many of the latest sessions "This watch" sums up. */
export const SESSIONS_SUMMED = 30;

export interface SessionFigures {
  /** Sessions of the last SESSIONS_SUMMED that measured themselves (an older app's did not). */
  readonly sessions: number;
  /** The latest cue of them all, and the median of their 95th percentiles, ms (null: no cue timed). */
  readonly lateMaxMs: number | null;
  readonly lateP95MedianMs: number | null;
  readonly cuesPage: number;
  readonly cuesService: number;
  /** Seconds of screen on, per session, rounded. */
  readonly screenOnS: number;
}

/**
 * What the last SESSIONS_SUMMED sessions (by start) measured of themselves (issue 23): how late their
 * cues came (the worst, and the median session's 95th percentile: the lower middle one of an even
 * count), by which path, and the screen's time. The history does not tell watches apart: a patient
 * wears one at a time, and the check above names it. Null when none measured.
 */
export function sessionFigures(logs: readonly SessionLog[]): SessionFigures | null {
  const latest = [...logs].sort((a, b) => b.startedAt - a.startedAt).slice(0, SESSIONS_SUMMED);
  const measured = latest.filter((l) => l.cuesPage !== undefined && l.cuesService !== undefined);
  if (measured.length === 0) return null;
  const timed = measured.filter((l) => l.lateMaxMs !== undefined && l.lateP95Ms !== undefined);
  const p95s = timed.map((l) => l.lateP95Ms!).sort((a, b) => a - b);
  const sum = (f: (l: SessionLog) => number): number => measured.reduce((n, l) => n + f(l), 0);
  return {
    sessions: measured.length,
    lateMaxMs: timed.length ? Math.max(...timed.map((l) => l.lateMaxMs!)) : null,
    lateP95MedianMs: timed.length ? p95s[Math.floor((p95s.length - 1) / 2)]! : null,
    cuesPage: sum((l) => l.cuesPage!),
    cuesService: sum((l) => l.cuesService!),
    screenOnS: Math.round(sum((l) => l.screenOnS ?? 0) / measured.length),
  };
}

function sessionLines(logs: readonly SessionLog[], t: Translate): string[] {
  const f = sessionFigures(logs);
  if (!f) return [t('thisWatch.sessionsNone')];
  return [
    t('thisWatch.sessionsCount', { count: String(f.sessions) }),
    f.lateMaxMs === null
      ? t('thisWatch.sessionsLateNone')
      : t('thisWatch.sessionsLate', { max: String(f.lateMaxMs), p95: String(f.lateP95MedianMs) }),
    t('thisWatch.sessionsCues', { page: String(f.cuesPage), service: String(f.cuesService) }),
    t('thisWatch.sessionsScreen', { seconds: String(f.screenOnS) }),
  ];
}

const answerKey = (a: Answer | undefined): string =>
  a === 'yes' ? 'thisWatch.yes' : a === 'no' ? 'thisWatch.no' : 'thisWatch.notChecked';

const flagKey = (b: boolean | null | undefined): string =>
  b === true ? 'thisWatch.yes' : b === false ? 'thisWatch.no' : 'thisWatch.notChecked';

/** A cue's answer: felt, felt only stronger, not felt, or not checked. */
function cueAnswerKey(answers: readonly CueAnswer[]): string {
  const first = answers[0];
  if (!first || first.answer === 'skip') return 'thisWatch.notChecked';
  if (first.answer === 'yes') return 'thisWatch.felt';
  return answers.slice(1).some((a) => a.answer === 'yes') ? 'thisWatch.feltStronger' : 'thisWatch.notFelt';
}

function sectionOf(p: WatchProfile, appVersion: string, t: Translate): WatchSection {
  const lines: string[] = [];
  const d = p.dark;
  if (d?.type === 'service')
    lines.push(
      t('thisWatch.darkService', {
        answer: t(
          d.felt === 'yes'
            ? 'thisWatch.felt'
            : d.felt === 'no'
              ? 'thisWatch.notFelt'
              : 'thisWatch.notChecked',
        ),
      }),
    );
  else {
    lines.push(t('thisWatch.outlived', { answer: t(flagKey(d?.outlived)) }));
    lines.push(t('thisWatch.fired', { answer: t(flagKey(d?.fired)) }));
  }
  for (const cue of PROFILE_CUES)
    lines.push(t('thisWatch.cue', { cue: t(`thisWatch.cue.${cue}`), answer: t(cueAnswerKey(p.cues[cue])) }));
  lines.push(
    p.lateness
      ? t('thisWatch.lateness', { max: String(p.lateness.maxMs), p95: String(p.lateness.p95Ms) })
      : t('thisWatch.latenessNone'),
  );
  lines.push(t('thisWatch.textTap', { answer: t(answerKey(p.textTap)) }));
  lines.push(
    t('thisWatch.keys', {
      keys: p.keys === null ? t('thisWatch.notChecked') : p.keys.length ? p.keys.join(', ') : '–',
    }),
  );
  return {
    heading: t('thisWatch.heading', { name: p.device.name, api: String(p.api), when: profileTime(p) }),
    path: t(`thisWatch.path.${provenPath(p) ?? 'dim'}`),
    lines,
    reportLabel: t('thisWatch.report'),
    report: profileReport(p, appVersion),
  };
}

export function thisWatchView(
  profiles: readonly WatchProfile[],
  appVersion: string,
  t: Translate,
  logs: readonly SessionLog[] = [],
): ThisWatchView {
  return {
    title: t('thisWatch.title'),
    description: t('thisWatch.description'),
    ...(profiles.length === 0 ? { empty: t('thisWatch.none') } : {}),
    watches: profiles.map((p) => sectionOf(p, appVersion, t)),
    sessions: { heading: t('thisWatch.sessions'), lines: sessionLines(logs, t) },
  };
}
