import { describe, expect, it } from 'vitest';
import { mount } from '../../../core/base/program';
import { handOverProgram, type HandOverEffect, type HandOverEvent } from '../../../core/watch/hand-over';

// The App Service's session page's decisions (page/service-session carries them out), each case from
// the page's behaviour as docs/architecture.md and core/watch/service describe it.
function drive(viewing: boolean, asked: boolean, events: HandOverEvent[]) {
  const effects: HandOverEffect[] = [];
  const run = mount(handOverProgram(viewing, asked), (e) => effects.push(e));
  for (const e of events) run.dispatch(e);
  return { effects, model: run.model };
}

describe('the session handed to the App Service', () => {
  it('a running session opened with the permission granted goes to the service, which then plays it', () => {
    const { effects, model } = drive(false, false, [
      { type: 'opened', running: true, permitted: true },
      { type: 'started', refusal: null },
    ]);
    expect(effects).toEqual([{ type: 'start' }, { type: 'view' }]);
    expect(model.viewing).toBe(true);
  });

  it('without the permission, the question is asked once: granted, the service starts', () => {
    const { effects, model } = drive(false, false, [
      { type: 'opened', running: true, permitted: false },
      { type: 'answered', granted: true },
      { type: 'started', refusal: null },
    ]);
    expect(effects).toEqual([{ type: 'ask' }, { type: 'start' }, { type: 'view' }]);
    expect(model).toMatchObject({ viewing: true, asked: true });
  });

  it('refused, the page plays it and says why; a question asked once is never asked again', () => {
    expect(
      drive(false, false, [
        { type: 'opened', running: true, permitted: false },
        { type: 'answered', granted: false },
      ]).effects,
    ).toEqual([{ type: 'ask' }, { type: 'play', refusal: 'refused' }]);
    const again = drive(false, true, [{ type: 'opened', running: true, permitted: false }]);
    expect(again.effects).toEqual([{ type: 'play', refusal: 'refused' }]);
    expect(again.model.viewing).toBe(false);
  });

  it('a service that cannot start leaves the cues to the page, with its reason', () => {
    expect(
      drive(false, false, [
        { type: 'opened', running: true, permitted: true },
        { type: 'started', refusal: 'failed' },
      ]).effects,
    ).toEqual([{ type: 'start' }, { type: 'play', refusal: 'failed' }]);
  });

  it('opened on a session the service already plays, or one not running: nothing to hand over', () => {
    expect(drive(true, false, [{ type: 'opened', running: true, permitted: true }]).effects).toEqual([]);
    expect(drive(false, false, [{ type: 'opened', running: false, permitted: true }]).effects).toEqual([]);
  });

  it('a change made on the page stops the service; still running, it is handed over again', () => {
    const resumed = drive(true, false, [
      { type: 'changed', running: true, byService: true, permitted: true },
      { type: 'stopped', permitted: true },
      { type: 'started', refusal: null },
    ]);
    expect(resumed.effects).toEqual([{ type: 'stop', answer: true }, { type: 'start' }, { type: 'view' }]);
    // Paused: stopped, and nothing more until it runs again.
    const paused = drive(true, false, [
      { type: 'changed', running: false, byService: true, permitted: true },
      { type: 'stopped', permitted: true },
    ]);
    expect(paused.effects).toEqual([{ type: 'stop', answer: true }]);
  });

  it('a session the service ran, paused and left: resumed on the page, it goes back to the service', () => {
    expect(
      drive(false, false, [{ type: 'changed', running: true, byService: true, permitted: true }]).effects,
    ).toEqual([{ type: 'start' }]);
    // One the page plays (the service refused it): a change keeps it on the page.
    expect(
      drive(false, false, [{ type: 'changed', running: true, byService: false, permitted: true }]).effects,
    ).toEqual([]);
  });

  it('at the end, a service playing a session ended early is stopped; a completed one ends by itself', () => {
    expect(drive(true, false, [{ type: 'finishing', completed: false }]).effects).toEqual([
      { type: 'stop', answer: false },
    ]);
    expect(drive(true, false, [{ type: 'finishing', completed: true }]).effects).toEqual([]);
    expect(drive(false, false, [{ type: 'finishing', completed: false }]).effects).toEqual([]);
  });
});
