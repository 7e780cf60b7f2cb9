import { describe, expect, it } from 'vitest';
import { resourceUuid, sessionsFhir, sessionsFhirBundle } from '../../../core/log/fhir';
import { MAXIMAL_PRESCRIPTION } from '../../../core/plan/prescription';
import type { SessionLog } from '../../../core/log/session-log';
import { validateR4 } from '../../support/fhir';
import { makeLog, seededRandom } from '../../support/sync-fixtures';

type Entry = { fullUrl: string; resource: Record<string, unknown> & { resourceType: string } };

const NOW = Date.UTC(2026, 10, 25, 17, 0);
// Tuesday 2026-11-24, 15:00 in Madrid (UTC+1): 3 rounds, 3 min 21 s active, 30 s paused.
const ONE: SessionLog = {
  ...makeLog(seededRandom(5), Date.UTC(2026, 10, 24, 14, 0), {
    outcome: 'completed',
    roundsDone: 3,
    activeMs: 201_000,
    pausedMs: 30_000,
    pauses: 1,
    stepsSkipped: 0,
  }),
  painBefore: 3,
  pain: 5,
  painAt: Date.UTC(2026, 10, 24, 14, 5),
  hrStart: 72,
  hrEnd: 64,
};

describe('FHIR R4 export', () => {
  it('says what a session measured of itself (issue 23) as notes on its Procedure, valid R4', () => {
    const measured = { ...ONE, lateMaxMs: 412, lateP95Ms: 96, cuesPage: 1, cuesService: 49, screenOnS: 12 };
    const b = sessionsFhirBundle([measured], NOW, 60);
    expect(validateR4(b)).toEqual({ structure: [], schema: [] });
    const procedure = (b.entry as Entry[]).find((e) => e.resource.resourceType === 'Procedure')!;
    const notes = (procedure.resource.note as { text: string }[]).map((n) => n.text);
    expect(notes.slice(-5)).toEqual([
      'Cue lateness, latest (ms): 412',
      'Cue lateness, 95th percentile (ms): 96',
      'Cues played by the watch app page: 1',
      'Cues handed to the watch app service: 49',
      'Screen on (s): 12',
    ]);
    // No Observation more than the log without them.
    expect(b.entry).toHaveLength(sessionsFhirBundle([ONE], NOW, 60).entry.length);
  });

  const bundle = sessionsFhirBundle([ONE], NOW, 60);
  const entries = bundle.entry as Entry[];
  const byCode = (code: string) =>
    entries.filter((e) =>
      JSON.stringify((e.resource as { code?: unknown }).code ?? '').includes(`"code":"${code}"`),
    );

  it('writes one session as a Procedure with its Observations, by the codes a clinic reads', () => {
    expect(bundle).toMatchObject({
      resourceType: 'Bundle',
      type: 'collection',
      timestamp: '2026-11-25T18:00:00+01:00',
    });
    expect(entries.map((e) => e.resource.resourceType)).toEqual([
      'Patient',
      'Procedure',
      'Observation',
      'Observation',
      'Observation',
      'Observation',
      'Observation',
    ]);
    const [patient, procedure] = entries;
    expect(procedure!.resource).toMatchObject({
      status: 'completed',
      code: {
        coding: [{ system: 'http://snomed.info/sct', code: '229065009', display: 'Exercise therapy' }],
      },
      subject: { reference: patient!.fullUrl },
      performedPeriod: { start: '2026-11-24T15:00:00+01:00', end: '2026-11-24T15:03:51+01:00' },
      identifier: [{ value: ONE.id }],
    });
    const notes = (procedure!.resource.note as { text: string }[]).map((n) => n.text);
    expect(notes[0]).toBe(
      'Prescription: 3 rounds of lengthen, 3 arm sweeps, ribs down, hold 3 breaths (inhale 4 s, exhale 6 s), return and relax; 1 session a day.',
    );
    expect(notes[1]).toContain(
      'Done: 3 of 3 rounds, 3 min 21 s active, 1 pause, 0 steps skipped; completed.',
    );

    const [duration] = byCode('55411-3');
    // 201 s = 3.35 min, to one decimal.
    expect(duration!.resource).toMatchObject({
      valueQuantity: { value: 3.4, unit: 'min', system: 'http://unitsofmeasure.org', code: 'min' },
      partOf: [{ reference: procedure!.fullUrl }],
    });
    const pains = byCode('72514-3').map((e) => e.resource);
    expect(pains.map((p) => [p.valueInteger, p.effectiveDateTime])).toEqual([
      [3, '2026-11-24T15:00:00+01:00'],
      [5, '2026-11-24T15:05:00+01:00'],
    ]);
    // 3 → 5 rose by 2: a flare, said on the rating after.
    expect(pains[0]!.interpretation).toBeUndefined();
    expect(pains[1]!.interpretation).toEqual([{ text: 'Flare: pain rose by 2 during the session' }]);
    const rates = byCode('8867-4').map((e) => e.resource);
    expect(rates.map((r) => [r.valueQuantity, r.effectiveDateTime])).toEqual([
      [
        { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
        '2026-11-24T15:00:00+01:00',
      ],
      [
        { value: 64, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
        '2026-11-24T15:03:51+01:00',
      ],
    ]);
  });

  it('says "not measured" for a missing heart rate, with no value, never 0', () => {
    const { hrStart: _s, hrEnd: _e, painBefore: _b, ...unmeasured } = ONE;
    const b = sessionsFhirBundle([unmeasured], NOW, 60);
    const rates = (b.entry as Entry[]).filter((e) => JSON.stringify(e.resource).includes('"8867-4"'));
    expect(rates).toHaveLength(2);
    for (const r of rates) {
      expect(r.resource.valueQuantity).toBeUndefined();
      expect(r.resource.dataAbsentReason).toEqual({
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
            code: 'not-performed',
            display: 'Not Performed',
          },
        ],
        text: 'not measured',
      });
    }
    // No rating before: no Observation for it; the one after (5) is not a flare without it.
    expect((b.entry as Entry[]).filter((e) => JSON.stringify(e.resource).includes('"72514-3"'))).toHaveLength(
      1,
    );
  });

  it('validates with 0 errors against the R4 definitions, whatever the sessions hold', () => {
    const random = seededRandom(23);
    const logs: SessionLog[] = [];
    for (let i = 0; i < 60; i++) {
      const r = () => random();
      logs.push(
        makeLog(random, Date.UTC(2026, 0, 1) + i * 86_400_000 + Math.floor(r() * 3_600_000), {
          utcOffsetMin: [-570, -300, 0, 60, 345, 840][i % 6]!,
          ...(r() < 0.7 ? { painBefore: Math.floor(r() * 11) } : {}),
          ...(r() < 0.7 ? { hrStart: 25 + Math.floor(r() * 226) } : {}),
          ...(r() < 0.7 ? { hrEnd: 25 + Math.floor(r() * 226) } : {}),
          ...(i % 10 === 0 ? { prescription: MAXIMAL_PRESCRIPTION } : {}),
          ...(i % 17 === 0
            ? { repairs: ['pausedMs 3456000000 was outside what a log holds; stored as 2678400000.'] }
            : {}),
        }),
      );
    }
    const bundle = JSON.parse(sessionsFhir(logs, NOW, 60)) as unknown;
    expect(validateR4(bundle)).toEqual({ structure: [], schema: [] });
    expect(validateR4(sessionsFhirBundle([], NOW, 60))).toEqual({ structure: [], schema: [] });
  });

  it('has validators that do fail a broken Bundle (each finds its own kind of fault)', () => {
    const broken = JSON.parse(sessionsFhir([ONE], NOW, 60)) as { entry: Entry[] };
    broken.entry[1]!.resource.status = 'done'; // not in the event-status value set
    broken.entry[2]!.resource.valueQuantity = { value: '3.4', unit: 'min' }; // a decimal, not text
    delete broken.entry[3]!.resource.status; // Observation.status is 1..1
    const found = validateR4(broken);
    expect(found.structure.join('\n')).toMatch(/Procedure.status: Code "done" not found/);
    expect(found.structure.join('\n')).toMatch(/Observation.status: Missing property/);
    expect(found.schema.length).toBeGreaterThan(0);
  });

  it('names each resource by a UUID made from the session id: stable, distinct, RFC 9562 version 8', () => {
    const ids = [
      '0mww6xfk0-qrq382sh1c',
      '0mww6xfk0-qrq382sh1d',
      '0mww6xfk1-qrq382sh1c',
      '0000000000-0000000000'.slice(1),
    ];
    const roles = [
      'procedure',
      'duration',
      'painBefore',
      'painAfter',
      'hrStart',
      'hrEnd',
      'patient',
    ] as const;
    const all = ids.flatMap((id) => roles.map((role) => resourceUuid(id, role)));
    expect(new Set(all).size).toBe(all.length);
    for (const u of all)
      expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The start time reads straight off the first 48 bits: 0mww6xfk0 in base 36.
    expect(parseInt(resourceUuid(ids[0]!, 'procedure').replace(/-/g, '').slice(0, 12), 16)).toBe(
      parseInt('0mww6xfk0', 36),
    );
    expect(resourceUuid(ids[0]!, 'hrEnd')).toBe(resourceUuid(ids[0]!, 'hrEnd'));
  });
});
