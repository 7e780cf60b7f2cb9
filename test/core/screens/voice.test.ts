import { describe, expect, it } from 'vitest';
import { layoutFor } from '../../../core/screens/layout';
import { VOICE_SAMPLE, voiceProgram, voiceView, type VoiceModel } from '../../../core/screens/voice';
import { decodeVoice } from '../../../core/watch/voice';
import { catalogTranslator, readCatalogs } from '../../support/catalog';
import { TARGET_SCREENS } from '../../support/screens';

const t = catalogTranslator(readCatalogs('page')['en-US']);
const layout = layoutFor(TARGET_SCREENS[0]!);
const texts = (m: VoiceModel) => voiceView(m, layout, t).flatMap((w) => ('text' in w ? [w.text] : []));

describe('the voice settings page', () => {
  it('cycles first hold → every breath → off → first hold, keeps each at once and says the sample', () => {
    const p = voiceProgram({ on: true, breaths: 'first', volume: 70 }, true);
    const a = p.update(p.init.model, { type: 'voice' });
    expect(a.effects).toEqual([
      { type: 'save', text: 'on every 70' },
      { type: 'say', clips: ['name-hold', 'breath-inhale'], volume: 70 },
    ]);
    const b = p.update(a.model, { type: 'voice' });
    // Off: kept, and nothing said.
    expect(b.effects).toEqual([{ type: 'save', text: 'off every 70' }]);
    const c = p.update(b.model, { type: 'voice' });
    expect(decodeVoice((c.effects[0] as { text: string }).text)).toEqual({
      on: true,
      breaths: 'first',
      volume: 70,
    });
  });

  it('steps the volume and says the sample at the new volume; Hear it only says it', () => {
    const p = voiceProgram({ on: true, breaths: 'first', volume: 100 }, true);
    const a = p.update(p.init.model, { type: 'volume' });
    expect(a.effects).toEqual([
      { type: 'save', text: 'on first 40' },
      { type: 'say', clips: VOICE_SAMPLE, volume: 40 },
    ]);
    expect(p.update(a.model, { type: 'hear' })).toEqual({
      model: a.model,
      effects: [{ type: 'say', clips: VOICE_SAMPLE, volume: 40 }],
    });
  });

  it('on a watch without a speaker: the voice reads off, taps change nothing, a note and no error', () => {
    const p = voiceProgram({ on: true, breaths: 'every', volume: 70 }, false);
    for (const type of ['voice', 'volume', 'hear'] as const)
      expect(p.update(p.init.model, { type })).toEqual({ model: p.init.model, effects: [] });
    expect(texts(p.init.model)).toEqual([
      'Voice',
      'Voice: off',
      'Volume: 70%',
      'No speaker on this watch: the cues alone',
    ]);
  });

  it('shows what is set, in the screen’s words', () => {
    expect(texts({ voice: { on: true, breaths: 'every', volume: 100 }, speaker: true })).toEqual([
      'Voice',
      'Voice: every breath',
      'Volume: 100%',
      'Hear it',
    ]);
  });
});
