import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BOUNDS,
  DEFAULT_PRESCRIPTION,
  MAXIMAL_PRESCRIPTION,
  MAX_REMINDERS,
  describeBound,
  parsePrescription,
  samePrescription,
  updatePrescription,
  type NumericField,
  type Prescription,
} from '../../../core/plan/prescription';

const NUMERIC = Object.keys(BOUNDS) as NumericField[];

function errorsOf(input: unknown) {
  const r = parsePrescription(input);
  if (r.ok) throw new Error(`expected errors for ${JSON.stringify(input)}`);
  return r.error;
}

function valueOf(input: unknown): Prescription {
  const r = parsePrescription(input);
  if (!r.ok) throw new Error(r.error.map((e) => e.message).join(' '));
  return r.value;
}

describe('prescription defaults', () => {
  it('uses the therapist counts and our pacing when nothing is given', () => {
    const p = valueOf({});
    expect(p).toEqual(DEFAULT_PRESCRIPTION);
    expect([p.rounds, p.sweeps, p.holdBreaths, p.inhaleSec, p.exhaleSec]).toEqual([3, 3, 3, 4, 6]);
    expect(p.strength).toBe('medium');
  });

  it('fills every missing field from the defaults', () => {
    const p = valueOf({ rounds: 4, strength: 'light' });
    expect(p).toEqual({ ...DEFAULT_PRESCRIPTION, rounds: 4, strength: 'light' });
  });

  it('treats an undefined field as missing', () => {
    expect(valueOf({ rounds: undefined }).rounds).toBe(DEFAULT_PRESCRIPTION.rounds);
  });

  it('keeps the defaults and the maximal prescription valid', () => {
    expect(valueOf(DEFAULT_PRESCRIPTION)).toEqual(DEFAULT_PRESCRIPTION);
    expect(valueOf(MAXIMAL_PRESCRIPTION)).toEqual(MAXIMAL_PRESCRIPTION);
    for (const f of NUMERIC) expect(MAXIMAL_PRESCRIPTION[f]).toBe(BOUNDS[f].max);
  });
});

describe('prescription bounds', () => {
  it.each(NUMERIC)('%s accepts its bounds and refuses one past each, naming the bound', (field) => {
    const { min, max } = BOUNDS[field];
    expect(valueOf({ [field]: min })[field]).toBe(min);
    expect(valueOf({ [field]: max })[field]).toBe(max);
    for (const bad of [min - 1, max + 1]) {
      const errors = errorsOf({ [field]: bad });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ field, code: 'out_of_range' });
      expect(errors[0]?.message).toContain(describeBound(field));
      expect(errors[0]?.message).toContain(String(bad));
    }
  });

  it('describes seconds with a unit and counts without', () => {
    expect(describeBound('inhaleSec')).toBe('2–8 s');
    expect(describeBound('rounds')).toBe('1–6');
  });

  it.each([['4'], [null], [Number.NaN], [Number.POSITIVE_INFINITY], [{}], [[3]], [true]])(
    'refuses the non-number %s',
    (bad) => {
      expect(errorsOf({ rounds: bad })).toEqual([
        { field: 'rounds', code: 'not_a_number', message: 'rounds must be a whole number (1–6).' },
      ]);
    },
  );

  it('refuses fractions', () => {
    expect(errorsOf({ exhaleSec: 5.5 })).toEqual([
      { field: 'exhaleSec', code: 'not_an_integer', message: 'exhaleSec must be a whole number (2–10 s).' },
    ]);
  });
});

describe('prescription shape', () => {
  it.each([[null], [undefined], [[]], ['rounds=3'], [42]])('refuses %s as not an object', (bad) => {
    expect(errorsOf(bad).map((e) => e.code)).toEqual(['not_an_object']);
  });

  it('refuses unknown fields, naming the field and the allowed ones', () => {
    const errors = errorsOf({ round: 3 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ field: 'round', code: 'unknown_field' });
    expect(errors[0]?.message).toContain('"round"');
    expect(errors[0]?.message).toContain('rounds');
  });

  it('returns every violation at once', () => {
    const errors = errorsOf({
      rounds: 0,
      sweeps: 'three',
      inhaleSec: 2.5,
      colour: 'red',
      strength: 'max',
      reminders: ['25:00'],
    });
    expect(errors.map((e) => `${e.field}:${e.code}`).sort()).toEqual([
      'colour:unknown_field',
      'inhaleSec:not_an_integer',
      'reminders:bad_reminder',
      'rounds:out_of_range',
      'strength:bad_strength',
      'sweeps:not_a_number',
    ]);
    for (const e of errors) expect(e.message.length).toBeGreaterThan(10);
  });
});

describe('prescription reminders and strength', () => {
  it('sorts valid reminders', () => {
    expect(valueOf({ reminders: ['18:30', '07:05'] }).reminders).toEqual(['07:05', '18:30']);
    expect(valueOf({ reminders: [] }).reminders).toEqual([]);
  });

  it.each([[['7:00']], [['24:00']], [['12:60']], [[1200]], [[null]], ['15:00']])(
    'refuses reminders %j',
    (bad) => {
      expect(errorsOf({ reminders: bad }).map((e) => e.code)).toEqual(['bad_reminder']);
    },
  );

  it('refuses more than the allowed number of reminders, and duplicates', () => {
    const many = ['08:00', '12:00', '16:00'].slice(0, MAX_REMINDERS + 1);
    expect(errorsOf({ reminders: many })[0]?.code).toBe('too_many_reminders');
    expect(errorsOf({ reminders: ['08:00', '08:00'] })[0]?.code).toBe('duplicate_reminder');
  });

  it.each([['light'], ['medium'], ['strong']])('accepts strength %s', (s) => {
    expect(valueOf({ strength: s }).strength).toBe(s);
  });

  it('refuses an unknown strength with the allowed values', () => {
    const [e] = errorsOf({ strength: 'STRONG' });
    expect(e?.code).toBe('bad_strength');
    expect(e?.message).toContain('light, medium, strong');
  });
});

describe('prescription updates', () => {
  it('applies one edited field and keeps the rest', () => {
    const r = updatePrescription(DEFAULT_PRESCRIPTION, { holdBreaths: 4 });
    expect(r.ok && r.value).toEqual({ ...DEFAULT_PRESCRIPTION, holdBreaths: 4 });
  });

  it('refuses a bad edit and leaves nothing half-applied', () => {
    const r = updatePrescription(DEFAULT_PRESCRIPTION, { holdBreaths: 9 });
    expect(r.ok).toBe(false);
    expect(DEFAULT_PRESCRIPTION.holdBreaths).toBe(3);
  });

  it('compares prescriptions field by field, reminders by value', () => {
    expect(samePrescription(DEFAULT_PRESCRIPTION, valueOf({ reminders: ['15:00'] }))).toBe(true);
    expect(samePrescription(DEFAULT_PRESCRIPTION, valueOf({ reminders: ['15:01'] }))).toBe(false);
    expect(samePrescription(DEFAULT_PRESCRIPTION, valueOf({ rounds: 4 }))).toBe(false);
  });
});

describe('prescription properties', () => {
  const inBounds = fc.record(
    Object.fromEntries(NUMERIC.map((f) => [f, fc.integer({ min: BOUNDS[f].min, max: BOUNDS[f].max })])) as {
      [K in NumericField]: fc.Arbitrary<number>;
    },
    { requiredKeys: [] },
  );

  it('accepts any in-bounds values and returns them unchanged', () => {
    fc.assert(
      fc.property(inBounds, (values) => {
        const p = valueOf(values);
        for (const [k, v] of Object.entries(values)) expect(p[k as NumericField]).toBe(v);
        expect(valueOf(p)).toEqual(p);
      }),
    );
  });

  it('refuses any out-of-bounds integer with exactly one error on that field', () => {
    const outside = fc
      .constantFrom(...NUMERIC)
      .chain((field) =>
        fc
          .oneof(
            fc.integer({ min: -1e6, max: BOUNDS[field].min - 1 }),
            fc.integer({ min: BOUNDS[field].max + 1, max: 1e6 }),
          )
          .map((value) => ({ field, value })),
      );
    fc.assert(
      fc.property(outside, ({ field, value }) => {
        expect(errorsOf({ [field]: value })).toEqual([
          expect.objectContaining({
            field,
            code: 'out_of_range',
            message: expect.stringContaining(describeBound(field)),
          }),
        ]);
      }),
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.anything(), fc.dictionary(fc.constantFrom(...NUMERIC, 'x'), fc.anything())),
        (input) => {
          const r = parsePrescription(input);
          if (!r.ok) {
            expect(r.error.length).toBeGreaterThan(0);
            for (const e of r.error) expect(typeof e.message).toBe('string');
          }
        },
      ),
    );
  });
});
