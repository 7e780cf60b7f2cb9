import { isoWithOffset } from './csv';
import { LATER_EXPORTS, laterFields, LOG_FIELDS } from './fields';
import { flare, painChange, type SessionLog } from './session-log';

/**
 * The history as a FHIR R4 Bundle (type "collection"), for clinics that take data in as FHIR rather
 * than CSV. One Patient (the phone knows no name or identifier: the clinic links it), and per session:
 *
 * - a Procedure, SNOMED CT 229065009 "Exercise therapy", its period, status and the prescription as text;
 * - an Observation of its active duration, LOINC 55411-3 "Exercise duration" (min);
 * - an Observation per pain rating given, LOINC 72514-3 (0–10 numeric rating), before and after;
 * - an Observation of the heart rate at the start and at the end, LOINC 8867-4 "Heart rate" (/min), or,
 *   when none was measured, the same Observation with dataAbsentReason "not-performed", never a 0;
 * - for each field added to the log since 1.x that the log holds, what the field table says
 *   (core/log/fields `fhir`): a note on the Procedure, or an Observation of its own.
 *
 * The Observations point at their session's Procedure through `partOf`. Resources are named by
 * `urn:uuid:` full URLs made from the session id (see `resourceUuid`), so exporting twice names every
 * resource the same way and a clinic can tell a session it already has.
 */

const SNOMED = 'http://snomed.info/sct';
const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
const DATA_ABSENT = 'http://terminology.hl7.org/CodeSystem/data-absent-reason';

const EXERCISE_THERAPY = { system: SNOMED, code: '229065009', display: 'Exercise therapy' };
const EXERCISE_DURATION = { system: LOINC, code: '55411-3', display: 'Exercise duration' };
const PAIN_SCORE = {
  system: LOINC,
  code: '72514-3',
  display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported',
};
const HEART_RATE = { system: LOINC, code: '8867-4', display: 'Heart rate' };

/** Which resource of a session a UUID names (the third group of the UUID). */
const ROLE = {
  procedure: 1,
  duration: 2,
  painBefore: 3,
  painAfter: 4,
  hrStart: 5,
  hrEnd: 6,
  patient: 0xfff,
} as const;
type Role = keyof typeof ROLE;
/** The role of a field added since 1.x, when it has an Observation of its own: after every role above. */
const laterRole = (name: string): number => 0x100 + Object.keys(LOG_FIELDS).indexOf(name);

const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

const hex = (n: number, digits: number): string => n.toString(16).padStart(digits, '0');

/**
 * An RFC 9562 version 8 UUID (the layout is the application's own) holding a session id whole: its
 * 48-bit start time, its 50 random bits and the resource's role. Two resources share one only if they
 * are the same role of the same session, and nothing random is drawn at export time.
 */
export function resourceUuid(sessionId: string, role: Role | number): string {
  const time = parseInt(sessionId.slice(0, 9), 36);
  let random = 0;
  for (const ch of sessionId.slice(10)) random = random * 32 + ID_ALPHABET.indexOf(ch);
  const timeHex = hex(time, 12);
  const randomHi = Math.floor(random / 2 ** 48); // 2 bits
  const randomLo = random % 2 ** 48;
  return [
    timeHex.slice(0, 8),
    timeHex.slice(8, 12),
    `8${hex(typeof role === 'number' ? role : ROLE[role], 3)}`,
    hex(0x8000 + randomHi, 4),
    hex(randomLo, 12),
  ].join('-');
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Resource = { resourceType: string; [key: string]: Json };
export interface FhirBundle {
  readonly resourceType: 'Bundle';
  readonly type: 'collection';
  readonly timestamp: string;
  readonly entry: { fullUrl: string; resource: Resource }[];
}

const category = (code: 'activity' | 'survey' | 'vital-signs'): Json => [
  { coding: [{ system: CATEGORY, code }] },
];

const OUTCOME_TEXT = {
  completed: 'completed',
  ended_early: 'ended early by the patient',
  interrupted: 'interrupted (the watch app was closed and the session not resumed)',
} as const;

/** The prescription as the therapist wrote it, in words (no FHIR resource models a home exercise dose). */
export function prescriptionText(log: SessionLog): string {
  const p = log.prescription;
  return (
    `Prescription: ${p.rounds} rounds of lengthen, ${p.sweeps} arm sweeps, ribs down, hold ` +
    `${p.holdBreaths} breaths (inhale ${p.inhaleSec} s, exhale ${p.exhaleSec} s), return and relax; ` +
    `${p.sessionsPerDay} session${p.sessionsPerDay === 1 ? '' : 's'} a day.`
  );
}

function sessionText(log: SessionLog): string {
  const seconds = Math.round(log.activeMs / 1000);
  return (
    `Done: ${log.roundsDone} of ${log.roundsPlanned} rounds, ${Math.floor(seconds / 60)} min ${seconds % 60} s ` +
    `active, ${log.pauses} pause${log.pauses === 1 ? '' : 's'}, ${log.stepsSkipped} step${log.stepsSkipped === 1 ? '' : 's'} skipped; ` +
    `${OUTCOME_TEXT[log.outcome]}. Routine ${log.routineId} version ${log.routineVersion}, app ${log.appVersion}.` +
    (log.repairs ? ` Changed by the watch to store it: ${log.repairs.join(' ')}` : '')
  );
}

function sessionEntries(log: SessionLog, patient: string): { fullUrl: string; resource: Resource }[] {
  const url = (role: Role | number) => `urn:uuid:${resourceUuid(log.id, role)}`;
  const at = (ms: number) => isoWithOffset(ms, log.utcOffsetMin);
  const period = { start: at(log.startedAt), end: at(log.endedAt) };
  const subject = { reference: patient };
  const partOf = [{ reference: url('procedure') }];
  const out: { fullUrl: string; resource: Resource }[] = [];
  const procedure: Resource = {
    resourceType: 'Procedure',
    identifier: [{ type: { text: 'Decompress session id' }, value: log.id }],
    status: log.outcome === 'completed' ? 'completed' : 'stopped',
    ...(log.outcome === 'completed' ? {} : { statusReason: { text: OUTCOME_TEXT[log.outcome] } }),
    code: {
      coding: [EXERCISE_THERAPY],
      text: 'Active spinal self-traction (spinal decompression) home exercise, lying on the back',
    },
    subject,
    performedPeriod: period,
    note: [{ text: prescriptionText(log) }, { text: sessionText(log) }],
  };
  out.push({ fullUrl: url('procedure'), resource: procedure });
  const notes = procedure.note as Json[];
  out.push({
    fullUrl: url('duration'),
    resource: {
      resourceType: 'Observation',
      partOf,
      status: 'final',
      category: category('activity'),
      code: { coding: [EXERCISE_DURATION] },
      subject,
      effectivePeriod: period,
      // Active time, pauses excluded; one decimal of a minute is 6 s.
      valueQuantity: { value: Math.round(log.activeMs / 6000) / 10, unit: 'min', system: UCUM, code: 'min' },
    },
  });
  const pain = (role: 'painBefore' | 'painAfter', value: number, ms: number, when: string): void => {
    const why = role === 'painAfter' ? flare(log) : null;
    const change = painChange(log);
    out.push({
      fullUrl: url(role),
      resource: {
        resourceType: 'Observation',
        partOf,
        status: 'final',
        category: category('survey'),
        code: { coding: [PAIN_SCORE], text: `Back pain ${when} the session (0–10)` },
        subject,
        effectiveDateTime: at(ms),
        valueInteger: value,
        ...(why === null
          ? {}
          : {
              interpretation: [
                {
                  text:
                    why === 'reached'
                      ? `Flare: pain ${value} of 10 after the session`
                      : `Flare: pain rose by ${change ?? 0} during the session`,
                },
              ],
            }),
      },
    });
  };
  if (log.painBefore !== undefined) pain('painBefore', log.painBefore, log.startedAt, 'before');
  if (log.pain !== undefined) pain('painAfter', log.pain, log.painAt ?? log.endedAt, 'after');
  const heartRate = (role: 'hrStart' | 'hrEnd', bpm: number | undefined, ms: number, when: string) =>
    out.push({
      fullUrl: url(role),
      resource: {
        resourceType: 'Observation',
        partOf,
        status: 'final',
        category: category('vital-signs'),
        code: { coding: [HEART_RATE], text: `Heart rate at the ${when} of the session` },
        subject,
        effectiveDateTime: at(ms),
        ...(bpm === undefined
          ? {
              dataAbsentReason: {
                coding: [{ system: DATA_ABSENT, code: 'not-performed', display: 'Not Performed' }],
                text: 'not measured',
              },
            }
          : { valueQuantity: { value: bpm, unit: 'beats/minute', system: UCUM, code: '/min' } }),
      },
    });
  heartRate('hrStart', log.hrStart, log.startedAt, 'start');
  heartRate('hrEnd', log.hrEnd, log.endedAt, 'end');
  for (const [name, { fhir }] of laterFields(LOG_FIELDS, LATER_EXPORTS)) {
    const value = (log as Readonly<Record<string, unknown>>)[name] as string | number | undefined;
    if (value === undefined) continue;
    if ('note' in fhir) {
      notes.push({ text: `${fhir.note}: ${value}` });
      continue;
    }
    out.push({
      fullUrl: url(laterRole(name)),
      resource: {
        resourceType: 'Observation',
        partOf,
        status: 'final',
        category: category(fhir.category),
        code: { coding: [{ ...fhir.observation }], text: fhir.text },
        subject,
        effectivePeriod: period,
        ...(typeof value === 'number'
          ? { valueQuantity: { value, unit: fhir.unit.unit, system: UCUM, code: fhir.unit.code } }
          : { valueString: value }),
      },
    });
  }
  return out;
}

/** The whole history as one Bundle; `now` and `utcOffsetMin` stamp it (the phone's clock). */
export function sessionsFhirBundle(
  logs: readonly SessionLog[],
  now: number,
  utcOffsetMin: number,
): FhirBundle {
  const entry: { fullUrl: string; resource: Resource }[] = [];
  const first = logs[0];
  if (first) {
    const patient = `urn:uuid:${resourceUuid(first.id, 'patient')}`;
    entry.push({ fullUrl: patient, resource: { resourceType: 'Patient', active: true } });
    for (const log of logs) entry.push(...sessionEntries(log, patient));
  }
  return { resourceType: 'Bundle', type: 'collection', timestamp: isoWithOffset(now, utcOffsetMin), entry };
}

/** The Bundle as the JSON text the Settings page shows for copying. */
export function sessionsFhir(logs: readonly SessionLog[], now: number, utcOffsetMin: number): string {
  return JSON.stringify(sessionsFhirBundle(logs, now, utcOffsetMin));
}
