/**
 * A field added to the session log's field table (core/log/fields LOG_FIELDS) and, for the phone's
 * exports, to LATER_EXPORTS beside it, nowhere else: the highest heart rate of the session, `hrMax`,
 * in column list 3 (list 2 is issue 23's), its CSV column `hr_max_bpm`, its own FHIR Observation. The
 * tables are the real ones with that one entry more each (vi.mock); every module below them is this
 * repository's code as it is. The field travels watch → phone → exports; a phone a version behind
 * (list 2) or on 1.0 (no logs.batch) never gets it short, it waits in the outbox.
 *
 * Every expected value is written out here by hand from the records below: the stored JSON, the
 * batch's row, the CSV cell, the FHIR resource (and two FHIR R4 validators: test/support/fhir).
 */
import Papa from 'papaparse';
import { describe, expect, it, vi } from 'vitest';
import { memoryStore, type KeyValueStore } from '../../core/base/kv';
import { messageBytes } from '../../core/link/protocol';
import { sessionsCsv } from '../../core/log/csv';
import { sessionsFhirBundle } from '../../core/log/fhir';
import {
  LATER_EXPORTS,
  type ExportsFor,
  type FieldSpec,
  type LaterExport,
  type LaterField,
  type LOG_FIELDS,
  type LogOf,
} from '../../core/log/fields';
import {
  decodeSessionLog,
  encodeSessionLog,
  parseSessionLog,
  repairSessionLog,
  toPlain,
} from '../../core/log/session-log';
import { openHistory } from '../../core/phone/history';
import { handleRequest } from '../../core/phone/side-handler';
import { DEFAULT_PRESCRIPTION } from '../../core/plan/prescription';
import { openOutbox } from '../../core/watch/outbox';
import { validateR4 } from '../support/fhir';
import { syncUntilSettled } from '../support/sync-run';

const { HR_MAX, HR_MAX_EXPORT } = vi.hoisted(() => ({
  HR_MAX: { is: 'int', min: 25, max: 250, optional: true, cols: 3 } as const satisfies LaterField,
  HR_MAX_EXPORT: {
    csv: 'hr_max_bpm',
    fhir: {
      observation: { system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' },
      text: 'Highest heart rate of the session',
      category: 'vital-signs',
      unit: { unit: 'beats/minute', code: '/min' },
    },
  } as const satisfies LaterExport,
}));

vi.mock('../../core/log/fields', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../core/log/fields')>();
  return {
    ...real,
    LOG_FIELDS: { ...real.LOG_FIELDS, hrMax: HR_MAX },
    LATER_EXPORTS: { ...real.LATER_EXPORTS, hrMax: HR_MAX_EXPORT },
  };
});

/** The log this table declares, as the type check derives it. */
type HrMaxLog = LogOf<typeof LOG_FIELDS & { readonly hrMax: typeof HR_MAX }>;

// The type check, not only the tests, holds a new field to the table's rules.
// @ts-expect-error A field of a later list has its line in the exports' table (CSV column, FHIR place).
const _noExports: ExportsFor<typeof LOG_FIELDS & { readonly hrMax: typeof HR_MAX }> = LATER_EXPORTS;
// @ts-expect-error And that table has no line for a field the log does not have.
const _extraExport: ExportsFor<typeof LOG_FIELDS> = { ...LATER_EXPORTS, hrMax: HR_MAX_EXPORT };
// @ts-expect-error A field of a later list is optional: every log stored before it lacks it.
const _required: FieldSpec = { ...HR_MAX, optional: undefined };
// @ts-expect-error It is a number or a patterned text: free text would reach the exports unchecked.
const _freeText: FieldSpec = { ...HR_MAX, is: 'sentences' };
// The record's type has it, optional and a number.
const _typed: Pick<HrMaxLog, 'hrMax'>[] = [{}, { hrMax: 163 }];

const START = Date.UTC(2026, 10, 24, 14, 0); // 15:00 in Madrid
const NOW = START + 3_600_000;
const ID = '0mwurhkw0-mnr3bd3k8p';
const ID_OLD = '0mwtc1q80-ht7qfqfy6c';

/** A session of a watch with the new field: every field of 1.x set, and the highest heart rate. */
const WITH: HrMaxLog = {
  v: 1,
  id: ID,
  routineId: 'spinal-self-traction',
  routineVersion: 1,
  prescription: DEFAULT_PRESCRIPTION,
  startedAt: START,
  endedAt: START + 231_000,
  utcOffsetMin: 60,
  activeMs: 201_000,
  pausedMs: 30_000,
  pauses: 1,
  roundsDone: 3,
  roundsPlanned: 3,
  stepsSkipped: 0,
  outcome: 'completed',
  painBefore: 3,
  pain: 5,
  painAt: START + 300_000,
  hrStart: 72,
  hrEnd: 64,
  appVersion: '1.3.0',
  hrMax: 163,
};
/** The session of the day before, whose heart rate was not measured: no hrMax either. */
const WITHOUT: HrMaxLog = {
  v: 1,
  id: ID_OLD,
  routineId: 'spinal-self-traction',
  routineVersion: 1,
  prescription: DEFAULT_PRESCRIPTION,
  startedAt: START - 86_400_000,
  endedAt: START - 86_400_000 + 201_000,
  utcOffsetMin: 60,
  activeMs: 201_000,
  pausedMs: 0,
  pauses: 0,
  roundsDone: 3,
  roundsPlanned: 3,
  stepsSkipped: 0,
  outcome: 'completed',
  appVersion: '1.3.0',
};

const RX =
  '{"rounds":3,"sweeps":3,"holdBreaths":3,"inhaleSec":4,"exhaleSec":6,"setupSec":10,"lengthenSec":8,' +
  '"halfSweepSec":3,"returnSec":4,"relaxSec":3,"sessionsPerDay":1,"reminders":["15:00"],"strength":"medium"}';
/** WITH as the watch's outbox and the phone's history store it: the new field last, in table order. */
const WITH_JSON =
  `{"v":1,"id":"${ID}","routineId":"spinal-self-traction","routineVersion":1,"prescription":${RX},` +
  `"startedAt":${START},"endedAt":${START + 231_000},"utcOffsetMin":60,"activeMs":201000,"pausedMs":30000,` +
  `"pauses":1,"roundsDone":3,"roundsPlanned":3,"stepsSkipped":0,"outcome":"completed","painBefore":3,` +
  `"pain":5,"painAt":${START + 300_000},"hrStart":72,"hrEnd":64,"appVersion":"1.3.0","hrMax":163}`;

/** A phone a version behind: it reads column lists 1 and 2, and answers list 3 as it answers any list it lacks. */
const UNKNOWN_LIST_3 = {
  v: 1,
  type: 'error',
  code: 'unknown_columns',
  message: 'logs.batch: column list 3 is unknown; known: 1–2.',
  supported: [1],
};
/** A phone of 1.0: no logs.batch at all (test/fixtures/format-1.0.0/wire.json `unknownType`). */
const UNKNOWN_TYPE = {
  v: 1,
  type: 'error',
  code: 'unknown_type',
  message: 'Unknown request type "logs.batch".',
  supported: [1],
};

type Request = {
  readonly type: string;
  readonly cols?: number;
  readonly rows?: readonly (readonly unknown[])[];
  readonly logs?: readonly unknown[];
};

/** The watch's sync loop over `watch` until it settles, each request answered by `phone`. */
const syncAll = (watch: KeyValueStore, phone: (request: Request) => unknown): Request[] =>
  syncUntilSettled(watch, (request) => phone(request as Request), NOW) as Request[];

function watchWith(...logs: HrMaxLog[]): KeyValueStore {
  const watch = memoryStore();
  for (const log of logs) expect(openOutbox(watch, { now: NOW }).outbox.append(log).ok).toBe(true);
  return watch;
}

const updatedPhone = (phone: KeyValueStore) => (request: Request) =>
  handleRequest(phone, request, NOW, '1.3.0');
const ids = (store: KeyValueStore) =>
  openHistory(store, { now: NOW })
    .all()
    .map((l) => l.id);
const pendingIds = (watch: KeyValueStore) =>
  openOutbox(watch, { now: NOW })
    .outbox.pending()
    .map((p) => p.id);

describe('a field added to the table alone: the log codec', () => {
  it('reads and writes it in its place, the last of the table', () => {
    expect(encodeSessionLog(WITH)).toBe(WITH_JSON);
    expect(decodeSessionLog(WITH_JSON)).toEqual({ ok: true, value: WITH });
  });

  it('checks it by the table: a whole number of 25–250, absent when null or missing', () => {
    expect(parseSessionLog({ ...toPlain(WITH), hrMax: 300 })).toEqual({
      ok: false,
      error: [{ field: 'hrMax', message: 'hrMax must be 25–250; got 300.' }],
    });
    expect(parseSessionLog({ ...toPlain(WITH), hrMax: 'fast' })).toEqual({
      ok: false,
      error: [{ field: 'hrMax', message: 'hrMax must be a whole number.' }],
    });
    const unrated = parseSessionLog({ ...toPlain(WITH), hrMax: null });
    expect(unrated.ok && 'hrMax' in unrated.value).toBe(false);
  });

  it('leaves every log without it the same bytes (the record of docs/sync.md, as 1.0.0 stored it)', () => {
    const TODAY =
      `{"v":1,"id":"0mww6xfk0-qrq382sh1c","routineId":"spinal-self-traction","routineVersion":1,` +
      `"prescription":${RX},"startedAt":1795615200000,"endedAt":1795615431000,"utcOffsetMin":60,` +
      `"activeMs":201000,"pausedMs":30000,"pauses":1,"roundsDone":3,"roundsPlanned":3,"stepsSkipped":0,` +
      `"outcome":"completed","pain":4,"appVersion":"1.0.0"}`;
    const read = decodeSessionLog(TODAY);
    expect(read.ok && encodeSessionLog(read.value)).toBe(TODAY);
  });

  it('drops a value the table refuses when the watch repairs a record, saying so', () => {
    const repaired = repairSessionLog({ ...toPlain(WITH), hrMax: 400, pausedMs: 50_000 });
    expect(repaired && 'hrMax' in repaired).toBe(false);
    expect(repaired?.repairs).toEqual([
      'pausedMs 50000 was outside what a log holds; stored as 30000.',
      'hrMax 400 was outside what a log holds; stored as nothing.',
    ]);
  });
});

describe('a field added to the table alone: watch → phone', () => {
  it('goes in column list 3, one column after those of lists 1 and 2, and the phone stores it whole', () => {
    const watch = watchWith(WITH);
    expect(watch.get('outbox.slot.0')).toBe(`{"rev":1,"log":${WITH_JSON}}`);
    const phone = memoryStore();
    const sent = syncAll(watch, updatedPhone(phone));
    expect(sent).toEqual([
      {
        v: 1,
        type: 'logs.batch',
        cols: 3,
        rows: [
          // id, prescription, start − the id's time, end − start, offset, active, paused, pauses,
          // rounds done and planned, skipped, outcome (completed), pain before, pain, its time − end,
          // heart rates, app, no repairs; then list 2's five fields (a log with none of them), list 3's
          // hrMax, before the three columns with a fallback (log v 1, routine version 1, the routine),
          // which go unsaid as in list 1
          [
            ID,
            expect.stringMatching(/^[0-9a-z]{1,10}$/),
            0,
            231000,
            60,
            201000,
            30000,
            1,
            3,
            3,
            0,
            0,
            3,
            5,
            69000,
            72,
            64,
            '1.3.0',
            null,
            null,
            null,
            null,
            null,
            null,
            163,
          ],
        ],
      },
    ]);
    expect(openHistory(phone, { now: NOW }).all()).toEqual([WITH]);
    expect(phone.get('history.m.2026-11.0')).toBe(`[${WITH_JSON}]`);
    expect(pendingIds(watch)).toEqual([]);
    // What the field costs on the wire: `,null` six times (no repairs, which a row of list 1 leaves
    // unsaid at its end, and list 2's five) and `,163`, 34 bytes more than the same log without it.
    const { hrMax: _, ...short } = WITH;
    const [alone] = syncAll(watchWith(short), updatedPhone(memoryStore()));
    expect(alone!.cols).toBe(1);
    expect(messageBytes(sent[0]) - messageBytes(alone)).toBe(34);
  });

  it('a batch of logs without it goes in list 1, as 1.1 sent it', () => {
    const sent = syncAll(watchWith(WITHOUT), updatedPhone(memoryStore()));
    expect(sent.map((r) => r.cols)).toEqual([1]);
    expect(sent[0]!.rows![0]).toHaveLength(18);
  });

  it('to a phone a version behind: the logs list 1 carries go in list 1, the other waits for its update', () => {
    const watch = watchWith(WITHOUT, WITH);
    const phone = memoryStore();
    const behind = (request: Request) =>
      request.type === 'logs.batch' && request.cols === 3 ? UNKNOWN_LIST_3 : updatedPhone(phone)(request);
    const sent = syncAll(watch, behind);
    expect(sent.map((r) => [r.type, r.cols, r.rows?.map((row) => row[0])])).toEqual([
      ['logs.batch', 3, [ID_OLD, ID]],
      // The smallest list that carries what is left: the log without it needs list 1.
      ['logs.batch', 1, [ID_OLD]],
    ]);
    expect(ids(phone)).toEqual([ID_OLD]);
    expect(pendingIds(watch)).toEqual([ID]);
    // Once the phone is updated, the next run sends it.
    expect(syncAll(watch, updatedPhone(phone)).map((r) => r.cols)).toEqual([3]);
    expect(openHistory(phone, { now: NOW }).all()).toEqual([WITHOUT, WITH]);
    expect(pendingIds(watch)).toEqual([]);
  });

  it('to a phone of 1.0: logs.push of what 1.0 stores, as for heart rates; the other waits', () => {
    const watch = watchWith(WITHOUT, WITH);
    const phone = memoryStore();
    const oneZero = (request: Request) =>
      request.type === 'logs.batch' ? UNKNOWN_TYPE : updatedPhone(phone)(request);
    const sent = syncAll(watch, oneZero);
    expect(sent.map((r) => [r.type, (r.rows ?? r.logs)?.length])).toEqual([
      ['logs.batch', 2],
      ['logs.push', 1],
    ]);
    expect(sent[1]!.logs).toEqual([toPlain(WITHOUT)]);
    expect(pendingIds(watch)).toEqual([ID]);
  });
});

describe('a field added to the table alone: the exports', () => {
  const phone = memoryStore();
  syncAll(watchWith(WITHOUT, WITH), updatedPhone(phone));
  const logs = openHistory(phone, { now: NOW }).all();

  it('is a CSV column after those of 1.x, empty where the log lacks it', () => {
    const parsed = Papa.parse<Record<string, string>>(sessionsCsv(logs), {
      header: true,
      skipEmptyLines: true,
    });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toHaveLength(33);
    expect(parsed.meta.fields!.slice(-8)).toEqual([
      'app_version',
      'repairs',
      'cue_late_max_ms',
      'cue_late_p95_ms',
      'cues_by_page',
      'cues_by_service',
      'screen_on_s',
      'hr_max_bpm',
    ]);
    expect(parsed.data.map((row) => [row.session_id, row.hr_max_bpm])).toEqual([
      [ID_OLD, ''],
      [ID, '163'],
    ]);
  });

  it('is an Observation of its own in the FHIR R4 Bundle, part of its session, valid R4', () => {
    const bundle = sessionsFhirBundle(logs, NOW, 60);
    expect(validateR4(bundle)).toEqual({ structure: [], schema: [] });
    const entries = bundle.entry.filter((e) => JSON.stringify(e.resource).includes('Highest heart rate'));
    const procedure = bundle.entry.find(
      (e) => e.resource.resourceType === 'Procedure' && JSON.stringify(e.resource).includes(ID),
    );
    // The UUID holds the session's id (its start, 0x1a20ddb3700, and its random part) and the
    // role 0x11b: 0x100 and the field's place in the table (the 28th field, index 27).
    expect(entries).toEqual([
      {
        fullUrl: expect.stringMatching(
          /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-811b-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        resource: {
          resourceType: 'Observation',
          partOf: [{ reference: procedure!.fullUrl }],
          status: 'final',
          category: [
            {
              coding: [
                { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' },
              ],
            },
          ],
          code: {
            coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }],
            text: 'Highest heart rate of the session',
          },
          subject: { reference: bundle.entry[0]!.fullUrl },
          effectivePeriod: { start: '2026-11-24T15:00:00+01:00', end: '2026-11-24T15:03:51+01:00' },
          valueQuantity: {
            value: 163,
            unit: 'beats/minute',
            system: 'http://unitsofmeasure.org',
            code: '/min',
          },
        },
      },
    ]);
    expect(procedure!.fullUrl.slice(9, 22)).toBe(entries[0]!.fullUrl.slice(9, 22));
  });
});
