/** What a test may choose when it boots a watch (`bootWatch`), and the readings where the reference is silent. */
import type { MediaOptions } from './zos/media';
import type { HeartRateOptions } from './zos/heart-rate';
import type { BackgroundPermission, ServiceReadings } from './zos/service';

export interface BootOptions {
  /** A device name from scripts/devices.json, e.g. 'Amazfit Balance'. */
  device: string;
  /** The .zab: a path or its bytes; default the single dist/*.zab. */
  zab?: string | Uint8Array;
  /** Edits to packaged files before they load (tests of the double itself), keyed by path in device.zip or 'app-side.js'. */
  patch?: Record<string, (source: string) => string>;
  /** Virtual wall-clock time at boot (epoch ms or Date); default 2026-11-25T14:00:00Z. */
  start?: number | Date;
  /** LocalStorage content before the first launch (JSON values). */
  storage?: Record<string, unknown>;
  /** The phone's settingsStorage before boot. */
  settings?: Record<string, string>;
  /** Whether the side service is running at boot (default true). */
  sideService?: boolean;
  /** One-way BLE latency per frame, virtual ms (default 20). */
  latencyMs?: number;
  /** The user's screen-on time without a page override (default 10 000 ms, the typings' setPageBrightTime default). */
  screenTimeoutMs?: number;
  /** The user's brightness setting (0–100, default 60) and auto brightness (default off) at boot. */
  brightness?: number;
  autoBrightness?: boolean;
  /** How long after the screen goes off the system exits the Mini Program (default 10 000 ms, typings setWakeUpRelaunch). */
  exitAfterScreenOffMs?: number;
  /** The watch's offset from UTC in minutes (east positive) for the Time sensor's local fields; default 0. */
  utcOffsetMinutes?: number;
  /** System language for getText (a locale the package ships); default the app.json defaultLanguage or en-US. */
  language?: string;
  /** Real ms one call into the watch's QuickJS may run before it is interrupted as an endless loop (default 5000). */
  callMs?: number;
  /** Seed of Math.random inside the contexts. */
  seed?: number;
  /** Read the heap of each launch's context before app.js runs (`baselineHeap`): costs a forced collection. */
  measureHeap?: boolean;
  /**
   * Launch with a page url / app param instead of the first page (as an alarm would); `false` boots the
   * watch and the phone without opening the app.
   */
  launch?: { url?: string; param?: string } | false;
  /** How many alarms the system holds for the app before refusing one (set returns 0); default no limit. */
  alarmCapacity?: number;
  /** The heart-rate sensor: present or not, permission granted or refused, what it reads and when. */
  heartRate?: HeartRateOptions;
  /**
   * `@zos/media` (zos/media.ts): whether the watch has a speaker (the device list does not say: default
   * true; false makes `create(id.PLAYER)` throw), and how long `prepare()` takes (150 ms).
   */
  media?: MediaOptions;
  /**
   * Where Zepp's reference is silent the double takes the harsher reading; a test may ask for the other
   * one to show the app works under both (docs/platform-facts.md names each).
   */
  readings?: Readings;
  /** The user's answer to the `device:os.bg_service` question (default: asked, then granted). */
  backgroundPermission?: BackgroundPermission;
  /** `@zos/app-service` start returns this ERROR_CODE (1–7, 255) instead of starting. */
  serviceStartError?: number;
  /** Another app's continuous App Service runs (only one runs on the watch at a time). */
  otherService?: boolean;
}

export interface Readings {
  /** `Vibrator.stop()` cuts a running scene short. Default false: the reference never says it does. */
  stopCutsScene?: boolean;
  /** Page timers keep firing with the screen off. Default false: held until the screen is on again. */
  timersWhileScreenOff?: boolean;
  /**
   * Every LocalStorage instance reads and writes one shared map. Default false: each instance loads
   * the file when created, and each write saves the instance's whole copy.
   */
  storageSharedAcrossInstances?: boolean;
  /**
   * App Service readings (zos/service.ts): a `start` of the running service fails with 2 (default) or
   * delivers its param; a restarted service gets no param (default) or its start's param again.
   */
  service?: ServiceReadings;
  /**
   * Where a notification action's `param` goes when it opens a page: app.js onCreate (default, as an
   * alarm's param does; the page gets none) or the page's params.
   */
  notificationParamTo?: 'app' | 'page';
  /**
   * The Side Service's `fetch` resolves with `res.body` as an object (the page's first example) rather
   * than a string of JSON ("on some models"). Default false: a string.
   */
  fetchBodyAsObject?: boolean;
}
