import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvField, isoWithOffset, sessionsCsv } from '../../../core/log/csv';
import { makeLog, seededRandom } from '../../support/sync-fixtures';

const random = seededRandom(19);

/** A small RFC 4180 reader, to prove the writer round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('CSV export', () => {
  it('writes ISO 8601 times with the watch offset', () => {
    const t = Date.UTC(2026, 10, 25, 14, 3, 12, 500);
    expect(isoWithOffset(t, 60)).toBe('2026-11-25T15:03:12+01:00');
    expect(isoWithOffset(t, -570)).toBe('2026-11-25T04:33:12-09:30');
    expect(isoWithOffset(t, 0)).toBe('2026-11-25T14:03:12+00:00');
  });

  it('quotes per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('writes a header and one CRLF row per session, raw times first', () => {
    const logs = [
      makeLog(random, Date.UTC(2026, 10, 25, 14), { pain: 8, outcome: 'completed' }),
      makeLog(random, Date.UTC(2026, 10, 26, 14), { pain: undefined, outcome: 'ended_early', roundsDone: 1 }),
    ];
    const text = sessionsCsv(logs);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text);
    // The header a clinic's import is set up for (docs/sync.md, "CSV export").
    expect(rows[0]).toEqual([
      'started_at',
      'ended_at',
      'local_date',
      'session_id',
      'routine_id',
      'routine_version',
      'outcome',
      'rounds_done',
      'rounds_planned',
      'active_s',
      'paused_s',
      'pauses',
      'steps_skipped',
      'pain_before_0_10',
      'pain_0_10',
      'pain_change',
      'pain_flag',
      'hr_start_bpm',
      'hr_end_bpm',
      'rx_rounds',
      'rx_sweeps',
      'rx_hold_breaths',
      'rx_inhale_s',
      'rx_exhale_s',
      'rx_sessions_per_day',
      'app_version',
      'repairs',
      // Issue 23's: what the session measured of itself.
      'cue_late_max_ms',
      'cue_late_p95_ms',
      'cues_by_page',
      'cues_by_service',
      'screen_on_s',
    ]);
    expect(rows).toHaveLength(3);
    const first = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]?.[i]]));
    expect(first).toMatchObject({
      started_at: '2026-11-25T15:00:00+01:00',
      pain_0_10: '8',
      pain_flag: 'yes',
      outcome: 'completed',
      local_date: '2026-11-25',
    });
    expect(rows[2]?.[CSV_COLUMNS.indexOf('pain_0_10')]).toBe('');
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
  });

  it('writes pain before, after, its change and the flare flag, and heart rate or "not measured"', () => {
    const at = (day: number) => Date.UTC(2026, 10, day, 14);
    const logs = [
      // 3 → 5 is a rise of 2: a flare though below 7.
      makeLog(random, at(20), { painBefore: 3, pain: 5, hrStart: 72, hrEnd: 64 }),
      // 6 → 7 rises by 1 but reaches 7.
      makeLog(random, at(21), { painBefore: 6, pain: 7, hrStart: 80 }),
      // 5 → 3 eased: no flag.
      makeLog(random, at(22), { painBefore: 5, pain: 3 }),
      // 4 → 5: +1 and below 7; no rating before: no change.
      makeLog(random, at(23), { painBefore: 4, pain: 5 }),
      makeLog(random, at(24), { pain: 6 }),
    ];
    const rows = parseCsv(sessionsCsv(logs)).slice(1);
    const col = (name: (typeof CSV_COLUMNS)[number]) => rows.map((r) => r[CSV_COLUMNS.indexOf(name)]);
    expect(col('pain_before_0_10')).toEqual(['3', '6', '5', '4', '']);
    expect(col('pain_0_10')).toEqual(['5', '7', '3', '5', '6']);
    expect(col('pain_change')).toEqual(['2', '1', '-2', '1', '']);
    expect(col('pain_flag')).toEqual(['yes', 'yes', '', '', '']);
    expect(col('hr_start_bpm')).toEqual(['72', '80', 'not measured', 'not measured', 'not measured']);
    expect(col('hr_end_bpm')).toEqual(['64', 'not measured', 'not measured', 'not measured', 'not measured']);
  });

  it('writes what a session measured of itself, and leaves them empty where a log has none', () => {
    const measured = makeLog(random, Date.UTC(2026, 10, 25, 14), {
      lateMaxMs: 412,
      lateP95Ms: 96,
      cuesPage: 40,
      cuesService: 10,
      screenOnS: 187,
    });
    const rows = parseCsv(sessionsCsv([measured, makeLog(random, Date.UTC(2026, 10, 26, 14))]));
    expect(rows.map((r) => r.slice(-5))).toEqual([
      ['cue_late_max_ms', 'cue_late_p95_ms', 'cues_by_page', 'cues_by_service', 'screen_on_s'],
      ['412', '96', '40', '10', '187'],
      ['', '', '', '', ''],
    ]);
  });

  it('names what the watch changed to store a session, in one cell', () => {
    const log = makeLog(random, Date.UTC(2026, 10, 25, 14), {
      repairs: ['pausedMs 3456000000 was outside what a log holds; stored as 2678400000.', 'b, c'],
    });
    const rows = parseCsv(sessionsCsv([log, makeLog(random, Date.UTC(2026, 10, 26, 14))]));
    const repairs = CSV_COLUMNS.indexOf('repairs');
    expect(rows[1]?.[repairs]).toBe(
      'pausedMs 3456000000 was outside what a log holds; stored as 2678400000. | b, c',
    );
    expect(rows[2]?.[repairs]).toBe('');
  });
});
