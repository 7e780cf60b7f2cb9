import { describe, expect, it } from 'vitest';
import { mount, type Input, type Sources } from '../../../core/base/program';
import {
  beforeProgram,
  summaryProgram,
  type RatingSub,
  type SummaryEffect,
  type SummaryEvent,
} from '../../../core/screens/summary';
import { SUMMARY } from '../../support/screen-views';

// The rating's keys and crown as subscriptions (core/screens/summary `RATING_SUBS`): what the pages
// listened to by hand before (page/lib/rating's listen), now asked for by the programs' models.

const KEYS = { type: 'keys', take: { select: 'select', up: 'up', down: 'down' } };
const CROWN = { type: 'crown' };

/**
 * Fake keys and crown sources: what was started and stopped, and a way to press (an input taken is
 * dispatched as the event its subscription names, as page/lib/input's `keys` does) and turn.
 */
function platform() {
  const log: string[] = [];
  let keyTo: ((input: Input) => void) | undefined;
  let crownTo: ((e: SummaryEvent) => void) | undefined;
  const sources: Sources<RatingSub, SummaryEvent> = {
    keys: ({ take }, dispatch) => {
      log.push(`keys ${Object.keys(take).join(',')}`);
      keyTo = (input) => {
        const type = take[input];
        if (type) dispatch({ type });
      };
      return () => void (log.push('keys off'), (keyTo = undefined));
    },
    crown: (_sub, dispatch) => {
      log.push('crown');
      crownTo = dispatch;
      return () => void (log.push('crown off'), (crownTo = undefined));
    },
  };
  return {
    log,
    sources,
    press: (input: Input) => keyTo?.(input),
    turn: (degrees: number) => crownTo?.({ type: 'crown', degrees }),
  };
}

const PARAMS = JSON.stringify({
  id: SUMMARY.id,
  stored: true,
  outcome: 'completed',
  roundsDone: 3,
  roundsPlanned: 3,
  activeMs: 217_000,
});

describe('the rating’s subscriptions', () => {
  it('after a session: select, UP and DOWN and the crown, as long as there is a session to sum up', () => {
    const program = summaryProgram(PARAMS);
    const subs = program.subscriptions!;
    expect(subs(SUMMARY)).toEqual([KEYS, CROWN]);
    // Answered: select still goes home, so the keys stay taken (as the page listened until it left).
    expect(subs({ ...SUMMARY, stage: 'done' })).toEqual([KEYS, CROWN]);
    // No session to sum up: the page goes home at once, listening to nothing.
    expect(subs(null)).toEqual([]);
  });

  it('before a session: the same, all the while', () => {
    const subs = beforeProgram.subscriptions!;
    expect(subs(beforeProgram.init.model)).toEqual([KEYS, CROWN]);
    expect(subs({ ...beforeProgram.init.model, stage: 'done' })).toEqual([KEYS, CROWN]);
  });
});

describe('the rating run by mount with its keys and crown', () => {
  it('after a session: UP, DOWN and the crown step it, select saves, then goes home', () => {
    const p = platform();
    const effects: SummaryEffect[] = [];
    const run = mount(summaryProgram(PARAMS), (e) => void effects.push(e), undefined, p.sources);
    expect(p.log).toEqual(['keys select,up,down', 'crown']);
    // No value yet: the first step up is 0, then 1, 2; DOWN back to 1.
    p.press('up');
    p.press('up');
    p.press('up');
    p.press('down');
    expect(run.model?.pain).toBe(1);
    // 30° clockwise (negative) is one step up; 20° is not yet one, 20° more makes it (40°: one, 10° kept).
    p.turn(-30);
    expect(run.model?.pain).toBe(2);
    p.turn(-20);
    expect(run.model?.pain).toBe(2);
    p.turn(-20);
    expect(run.model).toMatchObject({ pain: 3, crownDeg: 10 });
    // The inputs the rating does not take are left to the system.
    p.press('back');
    p.press('swipeLeft');
    p.press('swipeRight');
    expect(run.model).toMatchObject({ pain: 3, stage: 'rate' });
    expect(effects).toEqual([]);
    // Select saves the rating and sends the log; then it goes home. The keys stay on meanwhile.
    p.press('select');
    expect(effects).toEqual([{ type: 'ratePain', id: SUMMARY.id, pain: 3 }, { type: 'sync' }]);
    expect(run.model?.stage).toBe('done');
    p.press('up');
    expect(run.model?.pain).toBe(3);
    p.press('select');
    expect(effects.slice(2)).toEqual([{ type: 'goHome' }]);
    expect(p.log).toEqual(['keys select,up,down', 'crown']);
    run.stop();
    expect(p.log.slice(2).sort()).toEqual(['crown off', 'keys off']);
  });

  it('after a session: unreadable params go home and listen to nothing', () => {
    const p = platform();
    const effects: SummaryEffect[] = [];
    const run = mount(summaryProgram('{'), (e) => void effects.push(e), undefined, p.sources);
    expect(effects).toEqual([{ type: 'open', route: { page: 'home' } }]);
    expect(p.log).toEqual([]);
    run.stop();
    expect(p.log).toEqual([]);
  });

  it('before a session: select starts it with the rating, once', () => {
    const p = platform();
    const effects: SummaryEffect[] = [];
    const run = mount(beforeProgram, (e) => void effects.push(e), undefined, p.sources);
    expect(p.log).toEqual(['keys select,up,down', 'crown']);
    // DOWN from no value is 0 (the bottom of the scale); UP makes it 1, the crown 2.
    p.press('down');
    p.press('up');
    p.turn(-30);
    expect(run.model.pain).toBe(2);
    p.press('select');
    expect(effects).toEqual([{ type: 'open', route: { page: 'session', params: '{"painBefore":2}' } }]);
    p.press('select');
    p.press('up');
    expect(effects).toHaveLength(1);
    expect(run.model.pain).toBe(2);
    run.stop();
    expect(p.log.slice(2).sort()).toEqual(['crown off', 'keys off']);
  });

  it('before a session: select with no value starts it without one', () => {
    const p = platform();
    const effects: SummaryEffect[] = [];
    mount(beforeProgram, (e) => void effects.push(e), undefined, p.sources);
    p.press('select');
    expect(effects).toEqual([{ type: 'open', route: { page: 'session', params: '{}' } }]);
  });
});
