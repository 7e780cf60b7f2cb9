import { describe, expect, it } from 'vitest';
import { layoutFor } from '../../../core/screens/layout';
import {
  SHOWN,
  VOICE_SAMPLE,
  voicePicture,
  voiceProgram,
  voiceView,
  type VoiceModel,
} from '../../../core/screens/voice';
import { decodeVoice } from '../../../core/watch/voice';
import { catalogTranslator, readCatalogs } from '../../support/catalog';
import { TARGET_SCREENS } from '../../support/screens';

const t = catalogTranslator(readCatalogs('page')['en-US']);
const layout = layoutFor(TARGET_SCREENS[0]!);
const texts = (m: VoiceModel) => voiceView(m, layout, t).flatMap((w) => ('text' in w ? [w.text] : []));

describe('show and tell: a picture of each step, and the voice settings', () => {
  it('shows the seven steps in the README routine’s order, each with what its first cue says', () => {
    expect(SHOWN.map((s) => [s.kind, s.clips.join(' ')])).toEqual([
      ['setup', 'step-setup'],
      ['lengthen', 'step-lengthen'],
      ['sweeps', 'name-sweeps sweep-overhead'],
      ['ribsDown', 'step-ribsDown'],
      ['hold', 'name-hold breath-inhale'],
      ['return', 'step-return'],
      ['relax', 'step-relax'],
    ]);
  });

  it('the step’s name shows the next step, its picture, and says its phrase (round the seven)', () => {
    const p = voiceProgram({ on: true, breaths: 'first', volume: 70 }, true);
    const a = p.update(p.init.model, { type: 'next' });
    expect(a.model.step).toBe(1);
    expect(a.effects).toEqual([{ type: 'say', clips: ['step-lengthen'], volume: 70 }]);
    expect(voicePicture(a.model, layout).src).toBe('pictures/lengthen.png');
    expect(texts(a.model)[0]).toBe('Lengthen ›');
    let m = a.model;
    for (let i = 0; i < 6; i++) m = p.update(m, { type: 'next' }).model;
    expect(m.step).toBe(0);
  });

  it('the picture is half the screen wide, 2 : 1, centred, above the buttons, on every screen', () => {
    for (const screen of TARGET_SCREENS) {
      const l = layoutFor(screen);
      const { box } = voicePicture({ voice: decodeVoice(undefined), speaker: true, step: 0 }, l);
      expect(box.w).toBe(Math.round(screen.width * 0.5));
      expect(box.h).toBe(Math.round(box.w / 2));
      expect(box.x * 2 + box.w).toBeCloseTo(screen.width, -1);
      const first = voiceView({ voice: decodeVoice(undefined), speaker: true, step: 0 }, l, t)[0]!;
      expect('box' in first && box.y + box.h <= first.box.y).toBe(true);
    }
  });

  it('cycles first hold → every breath → off → first hold, keeps each at once and says the sample', () => {
    const p = voiceProgram({ on: true, breaths: 'first', volume: 70 }, true);
    const a = p.update(p.init.model, { type: 'voice' });
    expect(a.effects).toEqual([
      { type: 'save', text: 'on every 70' },
      { type: 'say', clips: ['name-hold', 'breath-inhale'], volume: 70 },
    ]);
    const b = p.update(a.model, { type: 'voice' });
    // Off: kept, and nothing said, not even the steps.
    expect(b.effects).toEqual([{ type: 'save', text: 'off every 70' }]);
    expect(p.update(b.model, { type: 'next' }).effects).toEqual([]);
    const c = p.update(b.model, { type: 'voice' });
    expect(decodeVoice((c.effects[0] as { text: string }).text)).toEqual({
      on: true,
      breaths: 'first',
      volume: 70,
    });
  });

  it('steps the volume and says the sample at the new volume', () => {
    const p = voiceProgram({ on: true, breaths: 'first', volume: 100 }, true);
    expect(p.update(p.init.model, { type: 'volume' }).effects).toEqual([
      { type: 'save', text: 'on first 40' },
      { type: 'say', clips: VOICE_SAMPLE, volume: 40 },
    ]);
  });

  it('on a watch without a speaker: the voice reads off, its taps change nothing, a note; the pictures still turn', () => {
    const p = voiceProgram({ on: true, breaths: 'every', volume: 70 }, false);
    for (const type of ['voice', 'volume'] as const)
      expect(p.update(p.init.model, { type })).toEqual({ model: p.init.model, effects: [] });
    expect(p.update(p.init.model, { type: 'next' })).toEqual({
      model: { ...p.init.model, step: 1 },
      effects: [],
    });
    expect(texts(p.init.model)).toEqual([
      'Get ready ›',
      'No speaker on this watch: the cues alone',
      'Voice: off',
    ]);
  });

  it('shows what is set, in the screen’s words', () => {
    expect(texts({ voice: { on: true, breaths: 'every', volume: 100 }, speaker: true, step: 3 })).toEqual([
      'Ribs down ›',
      'Voice: every breath',
      'Volume: 100%',
    ]);
  });
});
