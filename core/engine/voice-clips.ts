import type { Translate } from '../base/i18n';
import { BOUNDS } from '../plan/prescription';
import { ROUTINE, type Routine } from '../plan/routine';
import { clipOfKey, spokenMoves, stepClip } from './voice';

/**
 * Every clip and its text, in a language's catalogue: what `scripts/voice.ts` speaks, and what its test
 * holds the committed files to. "Round i of n" for every count a prescription allows, from `voice.round`
 * and `voice.of`: the screen's `session.round` in two clips, written for reading ("第 2/3 轮" would be
 * read as a fraction).
 */
export function clipTexts(t: Translate, routine: Routine = ROUTINE): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const s of [...routine.setup, ...routine.round]) {
    const moves = spokenMoves(s.pacing.type);
    texts[stepClip(s.kind, moves)] = moves ? t(s.nameKey) : `${t(s.nameKey)}. ${t(s.doKey)}`;
  }
  for (const key of [
    'sweep.overhead.do',
    'sweep.toSky.do',
    'sweep.restOverhead.do',
    'breath.inhale.do',
    'breath.exhale.do',
    'session.done.do',
  ])
    texts[clipOfKey(key)] = t(key);
  for (let round = 1; round <= BOUNDS.rounds.max; round++)
    texts[`round-${round}`] = t('voice.round', { round });
  for (let rounds = 2; rounds <= BOUNDS.rounds.max; rounds++)
    texts[`of-${rounds}`] = t('voice.of', { rounds });
  return texts;
}
