import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { catalogTranslator, LANGS, readCatalogs, type Lang } from '../../support/catalog';
import { CSV_COLUMNS } from '../../../core/log/csv';
import { openHistory } from '../../../core/phone/history';
import type { Translate } from '../../../core/base/i18n';
import { memoryStore } from '../../../core/base/kv';
import { DEFAULT_PRESCRIPTION, type Prescription } from '../../../core/plan/prescription';
import type { SessionLog } from '../../../core/log/session-log';
import {
  applyEdit,
  decodeForm,
  editPrescription,
  EDITABLE_FIELDS,
  EMPTY_FORM,
  encodeForm,
  errorMessage,
  normaliseTime,
  RECENT_SESSIONS,
  settingsView,
  weekStart,
  type FieldError,
  type FormField,
  type SettingsInputs,
} from '../../../core/screens/settings';
import { DAY, HOUR, makeLog, seededRandom } from '../../support/sync-fixtures';

const catalogs = readCatalogs('setting');

/** Like the Settings App's gettext: a missing key comes back as the key. Records the keys asked for. */
const tr = (lang: Lang = 'en-US', asked?: Set<string>): Translate => catalogTranslator(catalogs[lang], asked);
const t = tr();

// Wednesday 2026-11-25, 18:00 in Madrid (UTC+1).
const NOW = Date.UTC(2026, 10, 25, 17, 0);
const OFFSET = 60;
const at = (date: string, hhmm: string): number => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, min] = hhmm.split(':').map(Number) as [number, number];
  return Date.UTC(y, m - 1, d, h, min) - OFFSET * 60_000;
};

function storedHistory(logs: SessionLog[]) {
  const store = memoryStore();
  const history = openHistory(store, { now: NOW });
  for (const log of logs) expect(history.append(log)).toEqual({ ok: true, value: 'accepted' });
  return { store, history: openHistory(store, { now: NOW }) };
}

function log(date: string, hhmm: string, overrides: Partial<SessionLog> = {}): SessionLog {
  return makeLog(
    seededRandom(date.length + Number(date.slice(-2)) * 100 + Number(hhmm.slice(0, 2))),
    at(date, hhmm),
    {
      outcome: 'completed',
      roundsDone: 3,
      roundsPlanned: 3,
      activeMs: 201_000,
      pausedMs: 0,
      pauses: 0,
      utcOffsetMin: OFFSET,
      pain: 3,
      ...overrides,
    },
  );
}

const inputs = (logs: SessionLog[], over: Partial<SettingsInputs> = {}): SettingsInputs => {
  const { history } = storedHistory(logs);
  return {
    logs: history.all(),
    record: history.prescription(),
    form: EMPTY_FORM,
    now: NOW,
    utcOffsetMin: OFFSET,
    ...over,
  };
};

describe('settings page: history and adherence from a stored history', () => {
  // Sat 21, Sun 22, Mon 23 completed; Tue 24 ended early after 1 of 3 rounds (does not count toward
  // the target); Wed 25 (today) completed.
  const logs = [
    log('2026-11-21', '15:00'),
    log('2026-11-22', '15:10'),
    log('2026-11-23', '15:00', { pain: 8 }),
    log('2026-11-24', '16:30', { outcome: 'ended_early', roundsDone: 1, pain: undefined }),
    log('2026-11-25', '09:05', { pain: 2, activeMs: 95_400 }),
  ];
  const view = settingsView(inputs(logs), t);

  it('lists the last sessions newest first, with date, outcome, rounds, time and pain', () => {
    expect(view.recent.rows.map((r) => r.when)).toEqual([
      '2026-11-25 09:05',
      '2026-11-24 16:30',
      '2026-11-23 15:00',
      '2026-11-22 15:10',
      '2026-11-21 15:00',
    ]);
    const [wed, tue, mon] = view.recent.rows;
    expect(wed!.text).toBe(
      '2026-11-25 09:05 · completed · 3/3 rounds · 1 min 35 s · pain 2 · heart rate not measured',
    );
    expect(tue!.text).toBe(
      '2026-11-24 16:30 · ended early · 1/3 rounds · 3 min 21 s · pain not rated · heart rate not measured',
    );
    expect(mon!.painFlag).toBe(true);
    expect(mon!.pain).toBe('8 ⚠ flare');
    expect(view.recent.empty).toBeUndefined();
  });

  it("shows this week's adherence, Monday first, against the daily target", () => {
    expect(weekStart('2026-11-25')).toBe('2026-11-23');
    expect(weekStart('2026-11-23')).toBe('2026-11-23');
    expect(weekStart('2026-11-29')).toBe('2026-11-23');
    expect(view.adherence.days.map((d) => [d.label, d.counted, d.met])).toEqual([
      ['Mon', 1, true],
      ['Tue', 0, false],
      ['Wed', 1, true],
      ['Thu', 0, null],
      ['Fri', 0, null],
      ['Sat', 0, null],
      ['Sun', 0, null],
    ]);
    expect(view.adherence.week).toBe('This week: target met on 2 of 3 days (1 a day)');
    expect(view.adherence.days[1]!.text).toBe('Tue: 0 of 1');
    expect(view.adherence.days[2]!.text).toBe('Wed: 1 of 1 ✓');
    expect(view.adherence.days[6]!.text).toBe('Sun: –');
  });

  it('counts the streak of days with a counted session, ending today', () => {
    // Tuesday's early end breaks it: only Wednesday.
    expect(view.adherence.streak).toBe('Streak: 1 days in a row');
    const unbroken = settingsView(
      inputs(logs.filter((l) => l.outcome === 'completed').concat(log('2026-11-24', '15:00'))),
      t,
    );
    expect(unbroken.adherence.streak).toBe('Streak: 5 days in a row');
  });

  it('holds the target to the prescription: two a day turns a met day into a missed one', () => {
    const two = { ...DEFAULT_PRESCRIPTION, sessionsPerDay: 2 };
    const v = settingsView(inputs(logs, { record: { revision: 3, prescription: two } }), t);
    expect(v.adherence.days.slice(0, 3).map((d) => d.met)).toEqual([false, false, false]);
    expect(v.adherence.week).toBe('This week: target met on 0 of 3 days (2 a day)');
  });

  it('reports monitoring days and pain flags over the last 30 days', () => {
    // The first day with data, Sat 21, opens the period (21 Nov – 20 Dec); today is its fifth day.
    expect(view.adherence.monitoring).toBe(
      'Days with data in this 30-day period (2026-11-21 to 2026-12-20): 5; thresholds passed: 2 days (16 not yet); 25 days left.',
    );
    expect(view.adherence.painFlags).toBe(
      'Flares in the last 30 days (pain after 7 or more, or up 2 or more): 1',
    );
    const none = settingsView(inputs([]), t);
    expect(none.adherence.monitoring).toBe('Days with data: no session has reached the phone yet.');
  });

  it('shows pain before → after with its change, heart rate or "not measured", and lists flares', () => {
    const rated = [
      log('2026-11-20', '15:00', { painBefore: 3, pain: 5, hrStart: 72, hrEnd: 64 }),
      log('2026-11-21', '15:00', { painBefore: 5, pain: 3, hrStart: 70 }),
      log('2026-11-22', '15:00', { painBefore: 4, pain: undefined, hrEnd: 61 }),
      log('2026-11-23', '15:00', { painBefore: 6, pain: 7 }),
    ];
    const v = settingsView(inputs(rated), t);
    const [sun, sat, fri, thu] = v.recent.rows;
    expect(thu!.text).toBe(
      '2026-11-20 15:00 · completed · 3/3 rounds · 3 min 21 s · pain 3 → 5 (+2) ⚠ flare · heart rate 72 → 64 bpm',
    );
    expect([fri!.pain, fri!.painFlag, fri!.heartRate]).toEqual([
      '5 → 3 (−2)',
      false,
      'heart rate 70 bpm → not measured',
    ]);
    expect([sat!.pain, sat!.heartRate]).toEqual(['4 → not rated', 'heart rate not measured → 61 bpm']);
    expect([sun!.pain, sun!.painFlag]).toEqual(['6 → 7 (+1) ⚠ flare', true]);
    expect(v.flagged.rows.map((r) => r.when)).toEqual(['2026-11-23 15:00', '2026-11-20 15:00']);
    expect(v.flagged.empty).toBeUndefined();
    const calm = settingsView(inputs([rated[1]!]), t);
    expect(calm.flagged.rows).toEqual([]);
    expect(calm.flagged.empty).toBe('No flare: no rating after a session reached 7 or rose by 2 or more.');
  });

  it('builds the FHIR export only while it is open, beside the CSV', () => {
    expect(view.export.fhir).toBeUndefined();
    expect(view.export.fhirButton).toBe('Show FHIR (JSON)');
    const open = settingsView(inputs(logs, { form: { exportOpen: false, fhirOpen: true } }), t);
    expect(open.export.csv).toBeUndefined();
    expect(open.export.fhirButton).toBe('Hide FHIR');
    const bundle = JSON.parse(open.export.fhir!) as { resourceType: string; entry: unknown[] };
    expect(bundle.resourceType).toBe('Bundle');
    // A Patient, then per session a Procedure, its duration and two heart-rate Observations, and one
    // per pain rating: 5 sessions, 4 of them rated.
    expect(bundle.entry).toHaveLength(1 + 5 * 4 + 4);
    expect(decodeForm(encodeForm({ exportOpen: true, fhirOpen: true }))).toEqual({
      exportOpen: true,
      fhirOpen: true,
    });
  });

  it(`lists at most ${RECENT_SESSIONS} sessions, and says so when there are none`, () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      log('2026-11-01', '08:00', {
        startedAt: at('2026-11-01', '08:00') + i * DAY,
        endedAt: at('2026-11-01', '08:00') + i * DAY + 300_000,
      }),
    );
    const v = settingsView(
      inputs(many.map((l, i) => ({ ...l, id: `${l.id.slice(0, 10)}${String(i).padStart(10, 'a')}` }))),
      t,
    );
    expect(v.recent.rows).toHaveLength(RECENT_SESSIONS);
    expect(v.recent.title).toBe(`Last ${RECENT_SESSIONS} sessions`);
    const none = settingsView(inputs([]), t);
    expect(none.recent.rows).toEqual([]);
    expect(none.recent.empty).toBe('No session has reached the phone yet.');
    expect(none.adherence.streak).toBe('Streak: 0 days in a row');
  });

  it('says how many copies are kept aside by the conflict rule, and nothing when there are none', () => {
    // docs/sync.md, "Conflicts": the copy that records more is listed, the other is kept aside.
    expect(view.recent.keptAside).toBeUndefined();
    const two = settingsView({ ...inputs(logs), keptAside: 2 }, t);
    expect(two.recent.keptAside).toBe(
      '2 other copies of sessions are kept aside: where two copies of one session differ, the one that records more of it is listed.',
    );
    expect(settingsView({ ...inputs(logs), keptAside: 0 }, t).recent.keptAside).toBeUndefined();
  });

  it('shows each prescription field with its value and bound', () => {
    const fields = view.prescription.fields;
    expect(fields.map((f) => f.field)).toEqual([...EDITABLE_FIELDS, 'reminder1', 'reminder2']);
    const byField = Object.fromEntries(fields.map((f) => [f.field, f]));
    expect(byField.rounds).toMatchObject({ label: 'Rounds', value: '3', hint: '1–6' });
    expect(byField.inhaleSec).toMatchObject({ value: '4', hint: '2–8 s' });
    expect(byField.sessionsPerDay).toMatchObject({ value: '1', hint: '1–3' });
    expect(byField.reminder1).toMatchObject({ value: '15:00' });
    expect(byField.reminder2).toMatchObject({ value: '' });
    expect(fields.every((f) => f.error === undefined)).toBe(true);
  });

  it('every key the page asks for is translated in each language, with the same placeholders', () => {
    const asked = new Set<string>();
    const record = { revision: 2, prescription: { ...DEFAULT_PRESCRIPTION, reminders: ['09:00', '15:00'] } };
    const forms = [
      EMPTY_FORM,
      { exportOpen: true, notice: 'saved' as const },
      { exportOpen: false, notice: 'conflict' as const },
      { exportOpen: false, notice: 'storage' as const },
    ];
    for (const form of forms) settingsView(inputs(logs, { record, form }), tr('en-US', asked));
    const errors: FieldError[] = (
      [
        'not_a_number',
        'not_an_integer',
        'out_of_range',
        'bad_time',
        'duplicate_reminder',
        'unknown_field',
      ] as const
    ).map((code) => ({
      field: code === 'bad_time' || code === 'duplicate_reminder' ? 'reminder2' : 'rounds',
      code,
      value: 'x',
    }));
    for (const e of errors) errorMessage(e, tr('en-US', asked));
    settingsView(inputs([]), tr('en-US', asked));
    settingsView({ ...inputs(logs), keptAside: 2 }, tr('en-US', asked));
    expect(asked.size).toBeGreaterThan(40);
    const holes = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const lang of LANGS) {
      for (const key of asked) {
        const text = catalogs[lang].get(key);
        expect(text, `${lang} lacks ${key}`).toBeTruthy();
        expect(holes(text!), `${lang} ${key}`).toEqual(holes(catalogs['en-US'].get(key)!));
      }
    }
  });
});

describe('settings page: editing the prescription within the bounds', () => {
  const edit = (field: FormField, text: string, p: Prescription = DEFAULT_PRESCRIPTION) =>
    editPrescription(p, field, text);
  const message = (field: FormField, text: string, p?: Prescription): string => {
    const r = edit(field, text, p);
    if (r.ok) throw new Error(`accepted ${field}=${text}`);
    return errorMessage(r.error, t);
  };

  it('accepts a value inside the bounds, and changes only that field', () => {
    const r = edit('rounds', ' 4 ');
    expect(r.ok && r.value).toEqual({ ...DEFAULT_PRESCRIPTION, rounds: 4 });
    const r2 = edit('exhaleSec', '10');
    expect(r2.ok && r2.value.exhaleSec).toBe(10);
  });

  it("refuses a value outside the bounds with the bound's message", () => {
    expect(message('rounds', '9')).toBe('Rounds must be 1–6; got 9.');
    expect(message('rounds', '0')).toBe('Rounds must be 1–6; got 0.');
    expect(message('inhaleSec', '1')).toBe('Inhale (seconds) must be 2–8 s; got 1.');
    expect(message('sessionsPerDay', '4')).toBe('Sessions per day must be 1–3; got 4.');
    expect(message('holdBreaths', '-2')).toBe('Breaths in the hold must be 1–8; got -2.');
  });

  it('refuses what is not a whole number, naming the bound', () => {
    expect(message('sweeps', 'three')).toBe('Arm sweeps per round must be a whole number, 1–6; got “three”.');
    expect(message('sweeps', '')).toBe('Arm sweeps per round must be a whole number, 1–6; got “”.');
    expect(message('exhaleSec', '5.5')).toBe('Exhale (seconds) must be a whole number, 2–10 s; got “5.5”.');
    expect(message('exhaleSec', '1e3')).toContain('whole number');
  });

  it('edits reminders as 24-hour times: normalised, emptied to remove, refused when malformed or twice', () => {
    expect(normaliseTime('9:30')).toBe('09:30');
    expect(normaliseTime('24:00')).toBeUndefined();
    const second = edit('reminder2', '9:30');
    expect(second.ok && second.value.reminders).toEqual(['09:30', '15:00']);
    const off = edit('reminder1', '  ');
    expect(off.ok && off.value.reminders).toEqual([]);
    expect(message('reminder1', '25:00')).toBe(
      'Reminder must be a 24-hour time HH:MM (00:00–23:59); got “25:00”.',
    );
    expect(message('reminder2', 'tea time')).toContain('HH:MM');
    expect(message('reminder2', '15:00')).toBe(
      'Second reminder: the two reminders cannot be at the same time (15:00).',
    );
  });

  it('messages are translated', () => {
    const r = edit('rounds', '9');
    if (r.ok) throw new Error('accepted');
    expect(errorMessage(r.error, tr('es-ES'))).toBe('Rondas debe estar entre 1–6; se escribió 9.');
    expect(errorMessage(r.error, tr('zh-CN'))).toBe('轮数须为 1–6；输入的是 9。');
  });

  it('saves an accepted edit through the revisioned history, and remembers a refused one to show', () => {
    const { store, history } = storedHistory([]);
    let form = applyEdit(history, 0, EMPTY_FORM, 'rounds', '4');
    expect(form).toEqual({ exportOpen: false, notice: 'saved' });
    expect(history.prescription()).toEqual({
      revision: 1,
      prescription: { ...DEFAULT_PRESCRIPTION, rounds: 4 },
    });
    // The key the Side Service watches to push the change to the watch.
    expect(JSON.parse(store.get('history.prescription')!)).toMatchObject({ revision: 1 });

    form = applyEdit(history, 1, form, 'rounds', '12');
    expect(form.refused).toEqual({ field: 'rounds', code: 'out_of_range', value: '12' });
    expect(history.prescription().revision).toBe(1);
    const v = settingsView(
      { logs: [], record: history.prescription(), form, now: NOW, utcOffsetMin: OFFSET },
      t,
    );
    const rounds = v.prescription.fields.find((f) => f.field === 'rounds')!;
    expect(rounds).toMatchObject({ value: '12', error: 'Rounds must be 1–6; got 12.' });

    // The same value again writes nothing (no new revision for the watch to fetch).
    expect(applyEdit(history, 1, form, 'rounds', '4')).toEqual({ exportOpen: false });
    expect(history.prescription().revision).toBe(1);
  });

  it('does not overwrite a change made on the watch since the page was drawn', () => {
    const { history } = storedHistory([]);
    history.setPrescription({ ...DEFAULT_PRESCRIPTION, reminders: ['16:00'] }, 0);
    const form = applyEdit(history, 0, EMPTY_FORM, 'rounds', '4');
    expect(form.notice).toBe('conflict');
    expect(history.prescription()).toMatchObject({
      revision: 1,
      prescription: { rounds: 3, reminders: ['16:00'] },
    });
    expect(settingsView({ ...inputs([]), form }, t).prescription.notice).toContain('changed on the watch');
  });

  it('reports a phone storage failure instead of throwing', () => {
    const { history } = storedHistory([]);
    const failing = {
      ...history,
      setPrescription: () => ({
        ok: false as const,
        error: { code: 'storage' as const, current: history.prescription() },
      }),
    };
    expect(applyEdit(failing, 0, EMPTY_FORM, 'rounds', '5').notice).toBe('storage');
  });

  it('reads back its own form state, and shrugs off a broken one', () => {
    const form = {
      exportOpen: true,
      refused: { field: 'rounds' as const, code: 'out_of_range' as const, value: '9' },
    };
    expect(decodeForm(encodeForm(form))).toEqual(form);
    expect(decodeForm(undefined)).toEqual(EMPTY_FORM);
    expect(decodeForm('{nope')).toEqual(EMPTY_FORM);
    expect(decodeForm('null')).toEqual(EMPTY_FORM);
    expect(decodeForm('{"refused":{"field":"__proto__","code":"x","value":1},"notice":"boom"}')).toEqual(
      EMPTY_FORM,
    );
  });
});

describe('settings page: the CSV export, read back with a real CSV parser', () => {
  const random = seededRandom(77);
  const logs: SessionLog[] = [];
  for (let i = 0; i < 60; i++) {
    const offset = [60, 120, -300, 330, -570][i % 5]!;
    logs.push(makeLog(random, Date.UTC(2026, 0, 1) + i * 13 * HOUR, { utcOffsetMin: offset }));
  }

  it('is produced only while open', () => {
    expect(settingsView(inputs(logs), t).export.csv).toBeUndefined();
    expect(settingsView(inputs(logs), t).export.button).toBe('Show CSV');
  });

  it('has a header row and one row per session, ISO times with offset, parseable by papaparse', () => {
    const view = settingsView(inputs(logs, { form: { exportOpen: true } }), t);
    expect(view.export.button).toBe('Hide CSV');
    expect(view.export.rows).toBe(60);
    const parsed = Papa.parse<Record<string, string>>(view.export.csv!, {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...CSV_COLUMNS]);
    expect(parsed.data).toHaveLength(60);
    const sorted = [...logs].sort((a, b) => a.startedAt - b.startedAt);
    parsed.data.forEach((row, i) => {
      const log = sorted[i]!;
      expect(row.session_id).toBe(log.id);
      expect(row.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      // The offset in the text is the watch's, and the instant is the log's (to the second).
      expect(Date.parse(row.started_at!)).toBe(Math.floor(log.startedAt / 1000) * 1000);
      expect(Date.parse(row.ended_at!)).toBe(Math.floor(log.endedAt / 1000) * 1000);
      expect(row.outcome).toBe(log.outcome);
      expect(Number(row.rounds_done)).toBe(log.roundsDone);
      expect(row.pain_0_10).toBe(log.pain === undefined ? '' : String(log.pain));
      expect(row.pain_flag).toBe(log.pain !== undefined && log.pain >= 7 ? 'yes' : '');
      expect(Number(row.active_s)).toBeCloseTo(log.activeMs / 1000, 1);
    });
  });

  it('is RFC 4180 as a spreadsheet reads it: CRLF rows, every row with every column', () => {
    const csv = settingsView(inputs(logs, { form: { exportOpen: true } }), t).export.csv!;
    const parsed = Papa.parse<string[]>(csv, { skipEmptyLines: true });
    expect(parsed.meta.linebreak).toBe('\r\n');
    expect(parsed.data).toHaveLength(61);
    for (const row of parsed.data) expect(row).toHaveLength(CSV_COLUMNS.length);
    // No cell a spreadsheet would take for a formula.
    for (const row of parsed.data.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+@]/);
  });
});
