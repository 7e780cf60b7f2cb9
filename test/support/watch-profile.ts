import type { WatchProfile } from '../../core/link/watch-profile';

/** A whole profile, written by hand: a Balance (API 3.7) checked at 2026-11-25 15:30 in UTC+1. */
export const BALANCE_PROFILE: WatchProfile = {
  v: 1,
  device: { name: 'Amazfit Balance', source: 8519936 },
  api: 3.7,
  at: Date.UTC(2026, 10, 25, 14, 30),
  utcOffsetMin: 60,
  cues: {
    stepStart: [{ form: 'asSet', answer: 'yes' }],
    sweepTick: [
      { form: 'asSet', answer: 'no' },
      { form: 'strong', answer: 'yes' },
    ],
    inhale: [
      { form: 'asSet', answer: 'no' },
      { form: 'scenes', answer: 'yes' },
    ],
    exhale: [{ form: 'asSet', answer: 'no' }],
    roundDone: [{ form: 'asSet', answer: 'skip' }],
    sessionDone: [],
  },
  dark: { type: 'page', outlived: true, fired: true, lateMs: 40 },
  lateness: { n: 10, maxMs: 120, p95Ms: 120 },
  keys: ['HOME', 'SHORTCUT'],
  textTap: 'yes',
  performance: null,
};
