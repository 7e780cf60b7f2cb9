import { describe, expect, it } from 'vitest';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { QUIET_MS, STALE_MS, due, type Cursor } from '../../../core/engine/schedule';
import { buildTimeline, type Timeline } from '../../../core/engine/timeline';

const built = buildTimeline(DEFAULT_PRESCRIPTION);
if (!built.ok) throw new Error('default prescription must build');
const tl: Timeline = built.value;
const ORIGIN = 1_700_000_000_000;
const cursor = (nextCue: number, originMs = ORIGIN): Cursor => ({ timeline: tl, nextCue, originMs });
const at = (cueIndex: number) => ORIGIN + (tl.cues[cueIndex]?.atMs ?? Number.NaN);

describe('due cues', () => {
  it('plays the cue whose deadline is reached and arms the next one', () => {
    const d = due(cursor(1), at(1));
    expect(d).toEqual({ play: tl.cues[1], lateMs: 0, passed: [], nextCue: 2, deadline: at(2) });
  });

  it('plays nothing before the deadline and keeps it', () => {
    const d = due(cursor(1), at(1) - 1);
    expect(d).toEqual({ play: null, lateMs: 0, passed: [], nextCue: 1, deadline: at(1) });
  });

  it('plays a late cue once, reports how late, and does not move the next deadline', () => {
    const d = due(cursor(2), at(2) + 250);
    expect(d.play).toBe(tl.cues[2]);
    expect(d.lateMs).toBe(250);
    expect(d.deadline).toBe(at(3));
    const again = due(cursor(d.nextCue), at(2) + 260);
    expect(again.play).toBeNull();
    expect(again.deadline).toBe(at(3));
  });

  it('after a stall plays only the latest overdue cue and passes the older ones, in order', () => {
    // Cues 2..5 are sweep halves 3 s apart; wake 1 s after cue 5.
    const d = due(cursor(2), at(5) + 1_000);
    expect(d.play).toBe(tl.cues[5]);
    expect(d.lateMs).toBe(1_000);
    expect(d.passed).toEqual([tl.cues[2], tl.cues[3], tl.cues[4]]);
    expect(d.nextCue).toBe(6);
    expect(d.deadline).toBe(at(6));
  });

  it('passes the latest too when its pattern would run into the next cue', () => {
    const next = at(3); // sweep halves are 3 s apart
    const length = () => 1_500;
    const lastFit = next - 1_500 - QUIET_MS;
    expect(due(cursor(2), lastFit, length).play).toBe(tl.cues[2]);
    const tooLate = due(cursor(2), lastFit + 1, length);
    expect(tooLate.play).toBeNull();
    expect(tooLate.passed).toEqual([tl.cues[2]]);
    expect(tooLate.deadline).toBe(next);
  });

  it('passes a cue more than STALE_MS late, even with room before the next one', () => {
    // The ribs-down exhale (cue 8) is followed by 6 s of silence.
    expect(due(cursor(8), at(8) + STALE_MS).play).toBe(tl.cues[8]);
    const stale = due(cursor(8), at(8) + STALE_MS + 1);
    expect(stale.play).toBeNull();
    expect(stale.passed).toEqual([tl.cues[8]]);
    expect(stale.nextCue).toBe(9);
    expect(stale.deadline).toBe(at(9));
  });

  it('always plays the session-done cue, however late', () => {
    const last = tl.cues.length - 1;
    const d = due(cursor(3), ORIGIN + tl.totalMs + 60_000);
    expect(d.play).toBe(tl.cues[last]);
    expect(d.passed).toHaveLength(last - 3);
    expect(d.nextCue).toBe(tl.cues.length);
    expect(d.deadline).toBeNull();
  });

  it('has nothing to do once every cue is handled', () => {
    expect(due(cursor(tl.cues.length), ORIGIN + 1e9)).toEqual({
      play: null,
      lateMs: 0,
      passed: [],
      nextCue: tl.cues.length,
      deadline: null,
    });
  });

  it('takes the pattern lengths as a parameter', () => {
    const long = due(cursor(2), at(2), () => 3_000);
    expect(long.play).toBeNull();
    expect(long.passed).toEqual([tl.cues[2]]);
  });
});
