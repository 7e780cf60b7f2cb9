import type { Translate } from '../base/i18n';
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
): ThisWatchView {
  return {
    title: t('thisWatch.title'),
    description: t('thisWatch.description'),
    ...(profiles.length === 0 ? { empty: t('thisWatch.none') } : {}),
    watches: profiles.map((p) => sectionOf(p, appVersion, t)),
  };
}
