import { afterEach, describe, expect, it } from 'vitest';
import { layoutFor } from '../../core/screens/layout';
import { positionAt } from '../../core/engine/position';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { sessionView } from '../../core/screens/session';
import { buildTimeline } from '../../core/engine/timeline';
import { bootWatch, type Watch } from '../runtime';
import { settleHome, startSession } from '../runtime/flows';
import { catalogTranslator, readCatalogs } from '../support/catalog';

// What the BUILT session page shows after each cue: the round, the step and what to do, exactly as
// core's view says for that moment (the count is left out: it ticks once a second).
const timeline = buildTimeline(DEFAULT_PRESCRIPTION);
if (!timeline.ok) throw new Error('the default prescription does not build a timeline');
const t = catalogTranslator(readCatalogs('page')['en-US']);

let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

describe.each([
  { device: 'Amazfit Balance', screen: { width: 480, height: 480, round: true, cornerRadius: 0 } },
  { device: 'Amazfit Balance 3', screen: { width: 480, height: 480, round: true, cornerRadius: 0 } },
  { device: 'Amazfit Bip 5 Unity', screen: { width: 320, height: 380, round: false, cornerRadius: 69 } },
])('session frames on $device', ({ device, screen }) => {
  it('after every cue, the screen names the round, the step and the move of that moment', async () => {
    w = await bootWatch({ device });
    settleHome(w);
    startSession(w);
    const startedAt = w.now();
    const layout = layoutFor(screen);
    for (const [index, cue] of timeline.value.cues.slice(0, -1).entries()) {
      w.advanceTo(startedAt + cue.atMs + 300);
      const expected = sessionView(
        {
          position: positionAt(timeline.value, cue.atMs + 300),
          paused: false,
          prescription: DEFAULT_PRESCRIPTION,
        },
        layout,
        t,
      ).flatMap((x) => (x.type === 'text' && ['round', 'step', 'do'].includes(x.id) ? [x.text] : []));
      expect(expected).toHaveLength(3);
      expect(w.screen().texts, `cue ${index} at ${cue.atMs} ms`).toEqual(expect.arrayContaining(expected));
      // The step's picture (the session screen's small copy), one IMG, the step read off the timeline.
      const step = timeline.value.steps[cue.stepIndex]!.kind;
      const images = w.screen().widgets.filter((g) => g.type === 'IMG');
      expect(
        images.map((g) => g.props.src),
        `cue ${index}`,
      ).toEqual([`pictures/small/${step}.png`]);
    }
  });
});
