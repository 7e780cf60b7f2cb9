import type { Prescription } from '../plan/prescription';

/**
 * The session log's fields, declared once (LOG_FIELDS): its type (`LogOf`, core/log/session-log's
 * `SessionLog`), its checks (`parseSessionLog`), its stored form (the table's order is the canonical JSON's,
 * fixed for what is stored), its wire columns (core/link/protocol: `cols`), its CSV columns
 * (core/log/csv) and its FHIR mapping (core/log/fhir) come from here. Data only, no call: a page that
 * imports a constant of this module and not the table bundles none of it.
 */

/** The schema is versioned (`v`) so a change of meaning is refused loudly by an older reader. */
export const SESSION_LOG_VERSION = 1;

export const OUTCOMES = ['completed', 'ended_early', 'interrupted'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * The one time basis of every log: instants are UTC epoch ms from 2020-01-01 (Date.UTC(2020, 0, 1)) to
 * 2100-01-01 (a watch clock outside this is broken, not a real session), offsets the ones in use anywhere
 * (UTC−12:00 to UTC+14:00). A log's day and month are its local ones, so they run from the earliest
 * instant at the westernmost offset to the latest at the easternmost: `logMonths`, the months the
 * phone's history reads.
 */
export const EARLIEST = 1_577_836_800_000;
export const LATEST = 4_102_444_800_000;
export const OFFSET_MIN = -720;
export const OFFSET_MAX = 840;
export const DAY_MS = 86_400_000;
/** A session can sit paused for weeks before it is given up; longer is a broken clock. */
export const MAX_PAUSED_MS = 31 * DAY_MS;
export const MAX_COUNT = 10_000;
/** What `repairs` holds at most: sentences, and characters in each. */
export const MAX_REPAIRS = 10;
export const SENTENCE_MAX = 300;

export const ID_PATTERN = /^[0-9a-z]{9}-[0-9a-hjkmnp-tv-z]{10}$/;
const ROUTINE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;
// Starts with a letter or digit so no CSV cell built from it can start like a spreadsheet formula.
export const APP_VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,31}$/;
export const APP_VERSION_RULE =
  'a version name of at most 32 characters: a letter or digit, then letters, digits, ".", "+" or "-"';

/**
 * A heart rate the log takes, in beats per minute: a reading outside it is a sensor's "no value" (0) or
 * noise, and is stored as not measured.
 */
// Plain numbers for the table: a property read there (HEART_RATE_BPM.min) would keep the whole table in
// the session page, which imports heartRateReading alone (a bundler cannot prove a read is pure).
const BPM_MIN = 25;
const BPM_MAX = 250;
export const HEART_RATE_BPM = { min: BPM_MIN, max: BPM_MAX } as const;

/** How a field is checked, and so its type. */
export type FieldCheck =
  /** A whole number within the bounds. */
  | { readonly is: 'int'; readonly min: number; readonly max: number }
  /** Text that matches the pattern; `rule` says the pattern in words (the error message). */
  | { readonly is: 'text'; readonly pattern: RegExp; readonly rule: string }
  /** One of the texts listed. */
  | { readonly is: 'choice'; readonly of: readonly string[] }
  /** 1–MAX_REPAIRS sentences of at most SENTENCE_MAX characters (`repairs`: the log's one free text). */
  | { readonly is: 'sentences' }
  | { readonly is: 'prescription' }
  /** `v`, checked before every other field: a log of another version is refused by its number. */
  | { readonly is: 'version' };

export interface Coding {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/**
 * Where the FHIR R4 export puts a field added after 1.x (core/log/fhir): a note on the session's
 * Procedure ("<note>: <value>"), or an Observation of its own, part of the Procedure, over the
 * session's period (a number as a Quantity in the UCUM unit given, a text as a string).
 */
export type FhirPlace =
  | { readonly note: string }
  | {
      readonly observation: Coding;
      readonly text: string;
      readonly category: 'activity' | 'survey' | 'vital-signs';
      readonly unit: { readonly unit: string; readonly code: string };
    };

/**
 * A field of 1.x: wire column list 1 (core/link/protocol LOG_COLUMNS, fixed for good), shown by the
 * CSV columns and FHIR resources 1.x wrote (core/log/csv, core/log/fhir, each by hand).
 */
type FirstField = FieldCheck & { readonly optional?: true; readonly cols?: 1 };

/**
 * A field added after 1.x. Optional: every log stored or sent before it lacks it. `cols`: the first
 * wire column list that carries it, one above the newest list of the version before (list n is list
 * n − 1 and its own fields, in this table's order). A number or a patterned text: what the phone takes
 * in is what the exports may hold. Where the exports show it is LATER_EXPORTS's, which the type check
 * holds to this table.
 */
export type LaterField = Extract<FieldCheck, { readonly is: 'int' | 'text' | 'choice' }> & {
  readonly optional: true;
  readonly cols: number;
};

/**
 * Where the phone's exports show a field added after 1.x: `csv`, its column, after those of 1.x (the
 * value as it is, empty when absent); `fhir`, where the FHIR export puts it.
 */
export interface LaterExport {
  readonly csv: string;
  readonly fhir: FhirPlace;
}

export type FieldSpec = FirstField | LaterField;
export type LogFields = { readonly [name: string]: FieldSpec };

// Checks that several fields share (one object each: every object of the table is heap on the watch).
const INSTANT = { is: 'int', min: EARLIEST, max: LATEST } as const;
const COUNT = { is: 'int', min: 0, max: MAX_COUNT } as const;
const RATING = { is: 'int', min: 0, max: 10, optional: true } as const;
const BPM = { is: 'int', min: BPM_MIN, max: BPM_MAX, optional: true } as const;
// Issue 23's: a lateness in ms, a count of cues, seconds of screen: whole numbers, none above a day's
// ms (one object for all five: every object of the table is heap on the watch).
const MEASURED = { is: 'int', min: 0, max: DAY_MS, optional: true, cols: 2 } as const;

/**
 * The session log, field by field, in the order a log is stored (a new field goes at the end: the
 * stored form of every log before it stays the same bytes). The first 22 are those of 1.x; a field
 * added since is a LaterField (its column list), which the type check demands, and has its line in
 * LATER_EXPORTS below.
 */
export const LOG_FIELDS = {
  v: { is: 'version' },
  /** See `sessionLogId`: start time in base 36, a dash, 10 random base-32 characters. */
  id: {
    is: 'text',
    pattern: ID_PATTERN,
    rule: 'a session id (9 base-36 time digits, "-", 10 base-32 characters)',
  },
  routineId: {
    is: 'text',
    pattern: ROUTINE_ID_PATTERN,
    rule: 'a routine id (lowercase letters, digits, dashes)',
  },
  routineVersion: { is: 'int', min: 1, max: 1_000_000 },
  prescription: { is: 'prescription' },
  /** UTC epoch milliseconds. */
  startedAt: INSTANT,
  endedAt: INSTANT,
  /** The watch's offset from UTC in minutes (east positive) when the session started. */
  utcOffsetMin: { is: 'int', min: OFFSET_MIN, max: OFFSET_MAX },
  activeMs: { is: 'int', min: 0, max: DAY_MS },
  pausedMs: { is: 'int', min: 0, max: MAX_PAUSED_MS },
  pauses: COUNT,
  roundsDone: { is: 'int', min: 0, max: 100 },
  roundsPlanned: { is: 'int', min: 1, max: 100 },
  stepsSkipped: COUNT,
  outcome: { is: 'choice', of: OUTCOMES },
  /** 0–10, asked before the first round; absent when the patient skipped it (or a log from before 1.1). */
  painBefore: RATING,
  /** 0–10, asked after the session; absent when the patient skipped the question. */
  pain: RATING,
  /** When the rating was given (UTC ms): of two ratings of one session, the later one stands. */
  painAt: { is: 'int', min: EARLIEST, max: LATEST, optional: true },
  /**
   * Heart rate in beats per minute, the watch's first reading in the session's first minute and its last
   * reading in the session's last 30 s. Absent means not measured (permission refused, no sensor, no
   * reading in time): never 0.
   */
  hrStart: BPM,
  hrEnd: BPM,
  appVersion: { is: 'text', pattern: APP_VERSION_PATTERN, rule: APP_VERSION_RULE },
  /**
   * What had to change for the session to be stored at all (a broken clock, a pause longer than the
   * schema allows, an app version the schema refuses), one sentence each. Absent on every normal log.
   */
  repairs: { is: 'sentences', optional: true },
  /**
   * What the session measured of itself (issue 23; core/engine/session `late`), column list 2. Cue
   * lateness: from a cue's due moment to its playing, the latest and the 95th percentile (nearest
   * rank) of the cues the page played, ms; absent when the page played none. None of the five for a
   * session stored before it measured.
   */
  lateMaxMs: MEASURED,
  lateP95Ms: MEASURED,
  /** Cues played by the page, cues handed to the App Service, seconds the screen was on while the page ran it. */
  cuesPage: MEASURED,
  cuesService: MEASURED,
  screenOnS: MEASURED,
} as const satisfies LogFields;

export type FieldName = keyof typeof LOG_FIELDS;

/** The fields of 1.x: those that name no later column list. */
export type FirstFieldName = {
  [F in FieldName]: (typeof LOG_FIELDS)[F] extends { readonly cols: number } ? never : F;
}[FieldName];

/** The fields added since 1.x: those that name a later column list. */
export type LaterFieldName = Exclude<FieldName, FirstFieldName>;

/** Where the exports show each field of a table added since 1.x: one line for each, no more. */
export type ExportsFor<T extends LogFields> = {
  readonly [F in keyof T as T[F] extends { readonly cols: number } ? F : never]: LaterExport;
};

/**
 * Where the exports show each field added since 1.x (core/log/csv, core/log/fhir): a line for each, no
 * more and no fewer, or no compile. A table of its own beside LOG_FIELDS, not in it: a watch page that
 * checks logs bundles LOG_FIELDS, and these names are the phone's alone.
 */
export const LATER_EXPORTS = {
  lateMaxMs: { csv: 'cue_late_max_ms', fhir: { note: 'Cue lateness, latest (ms)' } },
  lateP95Ms: { csv: 'cue_late_p95_ms', fhir: { note: 'Cue lateness, 95th percentile (ms)' } },
  cuesPage: { csv: 'cues_by_page', fhir: { note: 'Cues played by the watch app page' } },
  cuesService: { csv: 'cues_by_service', fhir: { note: 'Cues handed to the watch app service' } },
  screenOnS: { csv: 'screen_on_s', fhir: { note: 'Screen on (s)' } },
} as const satisfies ExportsFor<typeof LOG_FIELDS>;

/** A field's type, from its check. */
type ValueOf<S> = S extends { readonly is: 'int' }
  ? number
  : S extends { readonly is: 'text' }
    ? string
    : S extends { readonly is: 'choice'; readonly of: readonly (infer V)[] }
      ? V
      : S extends { readonly is: 'sentences' }
        ? readonly string[]
        : S extends { readonly is: 'prescription' }
          ? Prescription
          : S extends { readonly is: 'version' }
            ? typeof SESSION_LOG_VERSION
            : never;

type Flat<T> = { [K in keyof T]: T[K] };

/** The record a table of fields declares: each field of its check's type, optional where it says so. */
export type LogOf<T extends LogFields> = Flat<
  { readonly [K in keyof T as T[K] extends { readonly optional: true } ? never : K]: ValueOf<T[K]> } & {
    readonly [K in keyof T as T[K] extends { readonly optional: true } ? K : never]?: ValueOf<T[K]>;
  }
>;

/**
 * The fields of a table added after 1.x, in the table's order, each with where the exports show it
 * (`exports`, LATER_EXPORTS for the real table).
 */
export function laterFields(
  fields: LogFields,
  exports: { readonly [name: string]: LaterExport },
): [string, LaterField & LaterExport][] {
  const later: [string, LaterField & LaterExport][] = [];
  for (const [name, spec] of Object.entries(fields))
    if ((spec.cols ?? 1) > 1) later.push([name, { ...(spec as LaterField), ...exports[name]! }]);
  return later;
}
