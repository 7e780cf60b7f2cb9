import { describe, expect, it } from 'vitest';
import { logColumns, LOG_COLUMNS } from '../../../core/link/protocol';
import { CSV_COLUMNS } from '../../../core/log/csv';
import { LATER_EXPORTS, laterFields, LOG_FIELDS } from '../../../core/log/fields';

// The table's rules the type check cannot see (test/core/new-log-field.test.ts follows a field added to
// it through the watch, the phone and the exports).
describe('the session log field table', () => {
  const later = laterFields(LOG_FIELDS, LATER_EXPORTS);

  it('begins with the fields of 1.x in the order every stored log has them', () => {
    expect(Object.keys(LOG_FIELDS).slice(0, 22)).toEqual([
      'v',
      'id',
      'routineId',
      'routineVersion',
      'prescription',
      'startedAt',
      'endedAt',
      'utcOffsetMin',
      'activeMs',
      'pausedMs',
      'pauses',
      'roundsDone',
      'roundsPlanned',
      'stepsSkipped',
      'outcome',
      'painBefore',
      'pain',
      'painAt',
      'hrStart',
      'hrEnd',
      'appVersion',
      'repairs',
    ]);
    expect(Object.keys(LOG_FIELDS).slice(22)).toEqual(later.map(([name]) => name));
  });

  it('has column list 1 name each of them once (the type check sees that it names them all)', () => {
    expect(new Set(LOG_COLUMNS).size).toBe(22);
    expect(logColumns(1)).toEqual(LOG_COLUMNS);
  });

  it('puts each later field in the list after the one before it, or the same: no list skipped', () => {
    let list = 1;
    for (const [name, field] of later) {
      expect([list, list + 1], name).toContain(field.cols);
      list = field.cols;
    }
  });

  it('names the fields issue 23 added, in list 2: what a session measured of itself, and the watch', () => {
    expect(later.map(([name, f]) => [name, f.cols, f.csv])).toEqual([
      ['lateMaxMs', 2, 'cue_late_max_ms'],
      ['lateP95Ms', 2, 'cue_late_p95_ms'],
      ['cuesPage', 2, 'cues_by_page'],
      ['cuesService', 2, 'cues_by_service'],
      ['screenOnS', 2, 'screen_on_s'],
    ]);
    expect(logColumns(2)).toEqual([
      ...LOG_COLUMNS.slice(0, -3),
      'lateMaxMs',
      'lateP95Ms',
      'cuesPage',
      'cuesService',
      'screenOnS',
      ...LOG_COLUMNS.slice(-3),
    ]);
  });

  it('gives each later field a CSV column of its own', () => {
    expect(new Set(CSV_COLUMNS).size).toBe(CSV_COLUMNS.length);
    expect(CSV_COLUMNS.slice(27)).toEqual(later.map(([, f]) => f.csv));
  });
});
