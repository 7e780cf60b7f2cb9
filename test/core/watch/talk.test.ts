import { describe, expect, it } from 'vitest';
import { TWELVE_DAY_SUMMARY } from '../../support/sync-fixtures';
import { DEFAULT_PRESCRIPTION } from '../../../core/plan/prescription';
import { prescriptionPush } from '../../../core/link/prescription-push';
import type { Summary } from '../../../core/log/stats';
import { talkProgram, updateTalk, type TalkState } from '../../../core/watch/talk';

const NOW = Date.UTC(2026, 10, 30, 8, 0);
const LATER = NOW + 5_000;
const OFFSET = 60;

const summary = TWELVE_DAY_SUMMARY;
const answer = (s: Summary) => ({ v: 1, type: 'summary.get', summary: s });

const start: TalkState = talkProgram.init.model;
const opened = updateTalk(start, { type: 'open', now: NOW, utcOffsetMin: OFFSET });

describe('what a page that reaches the phone says to it besides the logs', () => {
  it('says nothing until the page opens the talk', () => {
    expect(talkProgram.init.effects).toEqual([]);
    expect(updateTalk(start, { type: 'logsTaken', now: NOW, utcOffsetMin: OFFSET }).effects).toEqual([]);
  });

  it('on opening: the prescription both ways, then the phone’s day asked with the watch’s clock; once per page', () => {
    expect(opened.effects).toEqual([
      { type: 'exchangePrescription' },
      { type: 'askSummary', ask: 1, message: { v: 1, type: 'summary.get', now: NOW, utcOffsetMin: OFFSET } },
    ]);
    expect(updateTalk(opened.model, { type: 'open', now: LATER, utcOffsetMin: OFFSET }).effects).toEqual([]);
  });

  it('asks the day again each time the phone took logs, and keeps a valid answer for home', () => {
    const again = updateTalk(opened.model, { type: 'logsTaken', now: LATER, utcOffsetMin: OFFSET });
    expect(again.effects).toEqual([
      {
        type: 'askSummary',
        ask: 2,
        message: { v: 1, type: 'summary.get', now: LATER, utcOffsetMin: OFFSET },
      },
    ]);
    const kept = updateTalk(again.model, { type: 'summary', ask: 2, body: answer(summary) });
    expect(kept.effects).toEqual([{ type: 'keepPhoneDay', summary }]);
    // The first question's answer, come back late, is older than what is kept: dropped.
    const stale = { ...summary, today: 0, streak: 11 };
    expect(updateTalk(kept.model, { type: 'summary', ask: 1, body: answer(stale) }).effects).toEqual([]);
  });

  it('keeps nothing from an answer that is not a valid summary (an error, a malformed one)', () => {
    const bad = [
      answer({ ...summary, today: -1 }),
      { v: 1, type: 'summary.get' },
      { v: 1, type: 'error', code: 'storage', message: 'phone storage full' },
      'nonsense',
      undefined,
    ];
    for (const body of bad)
      expect(updateTalk(opened.model, { type: 'summary', ask: 1, body }).effects).toEqual([]);
  });

  it('adopts a pushed prescription record, ignores anything else zml delivers, re-plans reminders on a change', () => {
    const record = { revision: 4, prescription: DEFAULT_PRESCRIPTION };
    expect(updateTalk(opened.model, { type: 'pushed', data: prescriptionPush(record) }).effects).toEqual([
      { type: 'adopt', record },
    ]);
    expect(updateTalk(opened.model, { type: 'pushed', data: { method: 'other' } }).effects).toEqual([]);
    expect(updateTalk(opened.model, { type: 'prescriptionChanged' }).effects).toEqual([
      { type: 'replanReminders' },
    ]);
  });
});
