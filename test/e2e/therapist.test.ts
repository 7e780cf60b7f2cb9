import Papa from 'papaparse';
import { afterEach, describe, expect, it } from 'vitest';
import { bootWatch, type Watch } from '../runtime';
import { failureOf } from '../support/double-failure';
import { ratePain, ROUTES, runSession, settleHome } from '../runtime/flows';
import type { HeartRateOptions } from '../runtime/zos/heart-rate';
import { validateR4 } from '../support/fhir';

// What the therapist gets from one real session of the BUILT app in the double: heart rate at start
// and end, pain before and after, on the watch's summary, on the phone, in the CSV and in the FHIR
// Bundle; and a session with no heart rate (permission refused, no sensor) that runs all the same and
// says "not measured".
let w: Watch | undefined;
afterEach(() => {
  w?.dispose();
  w = undefined;
});

const START = Date.UTC(2026, 10, 25, 14, 0);
// 72 bpm for the session's first two minutes, 64 after: the readings the log should keep.
const SLOWING: HeartRateOptions = { bpm: (t) => (t < 120_000 ? 72 : 64) };

type Entry = { resource: Record<string, unknown> };

/** One session rated `before` (none: skipped) and `after`, back home; the Settings page opened. */
async function sessionThenSettings(heartRate: HeartRateOptions, before: number | undefined, after: number) {
  const watch = await bootWatch({ device: 'Amazfit Balance', start: START, heartRate });
  w = watch;
  settleHome(watch);
  const { startedAt, endedAt } = runSession(watch, undefined, before);
  ratePain(watch, after);
  const summary = [...watch.screen().texts];
  watch.advance(1_000);
  watch.press('HOME'); // the summary's select: Home
  watch.advance(500);
  expect(watch.page).toBe(ROUTES.home);
  const page = watch.phone.openSettings();
  page.click('Show CSV');
  watch.advance(100);
  page.click('Show FHIR (JSON)');
  watch.advance(100);
  const [csvInput] = page.find('TextInput', 'decompress-sessions.csv');
  const csv = Papa.parse<Record<string, string>>(String(csvInput?.props.value), {
    header: true,
    skipEmptyLines: true,
  });
  const [fhirInput] = page.find('TextInput', 'decompress-sessions.fhir.json');
  const bundle = JSON.parse(String(fhirInput?.props.value)) as { entry: Entry[] };
  const observations = (loinc: string) =>
    bundle.entry
      .map((e) => e.resource)
      .filter((r) => JSON.stringify(r.code ?? '').includes(`"code":"${loinc}"`));
  return { watch, startedAt, endedAt, summary, phone: page.texts(), csv, bundle, observations };
}

describe('for the therapist: heart rate and pain before and after, end to end', () => {
  it('a session with heart rate at start and end and both ratings: on the summary, the phone, the CSV and the FHIR Bundle', async () => {
    const s = await sessionThenSettings(SLOWING, 3, 5);
    // The sensor measured throughout: its first reading 8 s after the session page opened, the last
    // in the session's final second.
    const readings = s.watch.heartReadings();
    expect(readings[0]).toMatchObject({ bpm: 72, page: ROUTES.session });
    expect(readings[0]!.t - s.startedAt).toBe(8_000);
    expect(readings.at(-1)!.bpm).toBe(64);
    expect(readings.every((r) => r.page === ROUTES.session)).toBe(true);

    // The watch's summary, once the rating after is saved.
    expect(s.summary).toEqual(expect.arrayContaining(['Session complete', '72 → 64 bpm', 'Pain 3 → 5 (+2)']));

    // The phone: the session row (3 → 5 is a rise of 2: a flare), the flagged list, the day counts.
    const row =
      /^2026-11-25 14:0\d · completed · 3\/3 rounds · 3 min 37 s · pain 3 → 5 \(\+2\) ⚠ flare · heart rate 72 → 64 bpm$/;
    expect(s.phone.filter((t) => row.test(t))).toHaveLength(2); // in the last sessions and in the flagged list
    expect(s.phone).toContain('Flagged sessions (flares)');
    expect(s.phone).toContain(
      'Days with data in this 30-day period (2026-11-25 to 2026-12-24): 1; thresholds passed: none yet (2 and 16 days); 29 days left.',
    );

    // The CSV.
    expect(s.csv.errors).toEqual([]);
    expect(s.csv.data).toHaveLength(1);
    expect(s.csv.data[0]).toMatchObject({
      pain_before_0_10: '3',
      pain_0_10: '5',
      pain_change: '2',
      pain_flag: 'yes',
      hr_start_bpm: '72',
      hr_end_bpm: '64',
    });

    // The FHIR Bundle: valid R4, with both readings and both ratings.
    expect(validateR4(s.bundle)).toEqual({ structure: [], schema: [] });
    expect(s.observations('8867-4').map((o) => (o.valueQuantity as { value: number }).value)).toEqual([
      72, 64,
    ]);
    expect(s.observations('72514-3').map((o) => o.valueInteger)).toEqual([3, 5]);
    expect(s.watch.failures()).toEqual([]);
  });

  it.each<[string, HeartRateOptions]>([
    ['the heart-rate permission refused', { permission: 'refused' }],
    ['no heart-rate sensor on the watch', { available: false }],
  ])('%s: the session runs whole and the log says "not measured"', async (_, heartRate) => {
    const s = await sessionThenSettings({ ...SLOWING, ...heartRate }, undefined, 2);
    expect(s.watch.heartReadings()).toEqual([]);
    // Every cue was played: a full session, completed.
    expect(s.summary).toEqual(
      expect.arrayContaining(['Session complete', 'Heart rate not measured', 'Pain 2']),
    );
    expect(
      s.phone.some((t) =>
        /· completed · 3\/3 rounds · 3 min 37 s · pain 2 · heart rate not measured$/.test(t),
      ),
    ).toBe(true);
    expect(s.csv.data[0]).toMatchObject({
      pain_before_0_10: '',
      pain_0_10: '2',
      hr_start_bpm: 'not measured',
      hr_end_bpm: 'not measured',
    });
    expect(JSON.stringify(s.csv.data[0])).not.toMatch(/"hr_\w+":"0"/);
    const rates = s.observations('8867-4');
    expect(rates.map((r) => [r.valueQuantity, (r.dataAbsentReason as { text: string }).text])).toEqual([
      [undefined, 'not measured'],
      [undefined, 'not measured'],
    ]);
    expect(validateR4(s.bundle)).toEqual({ structure: [], schema: [] });
    expect(s.watch.failures()).toEqual([]);
  });
});

describe('the double holds the heart-rate sensor to its reference, harshly where it is silent', () => {
  const SENSOR = `var sensor = __$$R$$__('@zos/sensor');`;

  it('reports the permission and the sensor as the test sets them, and the firmware cannot ask again', async () => {
    w = await bootWatch({
      device: 'Amazfit Balance',
      heartRate: { permission: 'refused', available: false },
    });
    settleHome(w);
    const asked = w.exec(
      `var app = __$$R$$__('@zos/app'); ${SENSOR}
       JSON.stringify([app.queryPermission({ permissions: ['data:user.hd.heart_rate', 'device:os.local_storage', 'device:os.bg_service'] }),
         app.requestPermission({ permissions: ['data:user.hd.heart_rate'], callback: function () {} }),
         sensor.checkSensor(sensor.HeartRate)])`,
    );
    expect(JSON.parse(String(asked))).toEqual([[0, 2, 0], 1, false]);
  });

  it('fails a sensor used where checkSensor says there is none, or without the permission', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', heartRate: { available: false } });
    settleHome(w);
    expect(failureOf(() => w!.exec(`${SENSOR} new sensor.HeartRate()`))).toMatch(
      /HeartRate: constructed on a watch where it is unavailable/,
    );
    w.dispose();
    w = await bootWatch({ device: 'Amazfit Balance', heartRate: { permission: 'refused' } });
    settleHome(w);
    expect(
      failureOf(() => w!.exec(`${SENSOR} new sensor.HeartRate().onCurrentChange(function () {})`)),
    ).toMatch(/HeartRate.onCurrentChange: "data:user.hd.heart_rate" is not granted/);
  });

  it('fails getCurrent outside its callback, and measurement left on when its page goes', async () => {
    w = await bootWatch({ device: 'Amazfit Balance', heartRate: { firstReadingMs: 1_000 } });
    settleHome(w);
    expect(failureOf(() => w!.exec(`${SENSOR} new sensor.HeartRate().getCurrent()`))).toMatch(
      /getCurrent: called outside its onCurrentChange callback/,
    );
    w.exec(`${SENSOR} var hr = new sensor.HeartRate(); hr.onCurrentChange(function () { hr.getCurrent(); })`);
    w.advance(3_000);
    expect(w.heartReadings().length).toBeGreaterThan(0);
    expect(failureOf(() => w!.tap('Feel the cues'))).toMatch(
      /HeartRate: continuous measurement still on when page\/home\/index.page was destroyed/,
    );
  });
});
