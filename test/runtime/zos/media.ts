/**
 * `@zos/media` Player, host side (Zepp docs media/Player, media/create, API_LEVEL 3.0): what each context
 * (the page, the App Service) played, when, from which packaged file, for how long, and whether it was
 * cut short. The guest (guest/zos/media.ts) keeps the player's states; the host checks the file and
 * times the events on the virtual clock.
 *
 * What the reference leaves open is read harshly (docs/runtime-double.md):
 * - which watches have a speaker: the device list says nothing, so a test says (`media.speaker`); on a
 *   watch without one `create(id.PLAYER)` throws;
 * - how long `prepare()` takes before its PREPARE event ("use the event listener to get the result"):
 *   `media.prepareMs`, 150 ms by default; the result is false for a path that is not a packaged file
 *   (nor a /data file), or a file that is not MP3 ("checking the path, file format, and supported
 *   bitrate": the double reads the MP3 frame headers and takes any valid one);
 * - the clip's length: its MP3 frames' (samples / sample rate), then COMPLETE;
 * - what a page's player does when its page goes: it stops, as the page's vibration does.
 */
import type { ClockEvent } from '../clock';
import type { HostHandlers, HostOpsOf } from '../ops';
import type { World } from '../world';

export interface MediaOptions {
  /** The watch has a speaker: `create(id.PLAYER)` works. Default true. */
  readonly speaker?: boolean;
  /** From `prepare()` to its PREPARE event. Default 150 ms. */
  readonly prepareMs?: number;
  /** Packaged files to treat as missing or unreadable (a fault a test injects): PREPARE answers false. */
  readonly unreadable?: readonly string[];
}

export interface Sound {
  /** Virtual ms since boot. */
  readonly t: number;
  readonly at: number;
  /** The file as given to setSource (relative to assets/). */
  readonly file: string;
  /** 'page' or 'service'. */
  readonly context: string;
  /** The page on screen, or the service file. */
  readonly where: string | undefined;
  readonly screenOn: boolean;
  readonly volume: number;
  /** The clip's length. */
  readonly ms: number;
  /** How much was heard: `ms`, or less when it was stopped or cut. */
  readonly heardMs: number;
}

export interface Mp3Info {
  readonly ms: number;
  readonly frames: number;
  readonly sampleRate: number;
  readonly kbps: number;
}

const BITRATES: Record<string, readonly number[]> = {
  // MPEG-1 layer III, then MPEG-2 and 2.5 layer III (ISO 11172-3, 13818-3), index 1..14.
  '1': [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],
  '2': [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],
};
const RATES: Record<number, readonly number[]> = {
  3: [44100, 48000, 32000], // MPEG-1
  2: [22050, 24000, 16000], // MPEG-2
  0: [11025, 12000, 8000], // MPEG-2.5
};

/** An MP3 file's frames (layer III, after any ID3v2 tag): length and format; null if it has none. */
export function mp3Info(bytes: Uint8Array): Mp3Info | null {
  let at = 0;
  if (bytes[0] === 0x49 && bytes[1] === 0x44 && bytes[2] === 0x33 && bytes.length > 10) {
    const size =
      ((bytes[6]! & 0x7f) << 21) |
      ((bytes[7]! & 0x7f) << 14) |
      ((bytes[8]! & 0x7f) << 7) |
      (bytes[9]! & 0x7f);
    at = 10 + size;
  }
  let frames = 0;
  let samples = 0;
  let sampleRate = 0;
  let bits = 0;
  while (at + 4 <= bytes.length) {
    const b1 = bytes[at + 1]!;
    const b2 = bytes[at + 2]!;
    if (bytes[at] !== 0xff || (b1 & 0xe0) !== 0xe0) break;
    const version = (b1 >> 3) & 3; // 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
    const layer = (b1 >> 1) & 3; // 1: layer III
    const rate = RATES[version]?.[(b2 >> 2) & 3];
    const kbps = BITRATES[version === 3 ? '1' : '2']![(b2 >> 4) & 15];
    if (layer !== 1 || !rate || !kbps) break;
    const perFrame = version === 3 ? 1152 : 576;
    const length = Math.floor(((perFrame / 8) * kbps * 1000) / rate) + ((b2 >> 1) & 1);
    frames++;
    samples += perFrame;
    sampleRate = rate;
    bits += kbps;
    at += length;
  }
  if (frames === 0) return null;
  return {
    ms: Math.round((samples / sampleRate) * 1000),
    frames,
    sampleRate,
    kbps: Math.round(bits / frames),
  };
}

interface Playing {
  index: number;
  complete: ClockEvent | undefined;
}

/** Every sound the watch played, from every context's player. */
export class Speaker {
  private readonly played: Sound[] = [];

  constructor(
    private readonly world: World,
    readonly opts: MediaOptions,
    /** A packaged file's bytes (path relative to assets/), or a /data file's text. */
    readonly file: (path: string) => Uint8Array | undefined,
  ) {}

  sounds(): readonly Sound[] {
    return this.played.map((s) => ({ ...s }));
  }

  record(s: Sound): number {
    this.played.push(s);
    this.world.event(
      'sound',
      `${s.file} (${s.ms} ms${s.screenOn ? '' : ', screen off'}) in the ${s.context}`,
    );
    return this.played.length - 1;
  }

  heard(index: number, ms: number, why: string): void {
    const s = this.played[index];
    if (!s || ms >= s.heardMs) return;
    this.played[index] = { ...s, heardMs: Math.max(0, ms) };
    this.world.event('sound', `${s.file} cut at ${Math.max(0, ms)} ms (${why})`);
  }
}

/** One context's player on the speaker: its pending events, what it plays. */
export class PlayerChannel {
  private pending: ClockEvent[] = [];
  private playing: Playing | undefined;

  constructor(
    private readonly world: World,
    private readonly speaker: Speaker,
    private readonly context: 'page' | 'service',
    private readonly owner: () => string,
    private readonly where: () => { screenOn: boolean; at: string | undefined },
    /** Calls a callback the guest kept (`callback` op). */
    private readonly call: (id: number, arg: boolean) => void,
  ) {}

  private later(ms: number, label: string, run: () => void): ClockEvent {
    const ev = this.world.clock.schedule(ms, label, this.owner(), () => {
      this.pending = this.pending.filter((e) => e !== ev);
      run();
    });
    this.pending.push(ev);
    return ev;
  }

  prepare(file: string, callback: number): void {
    const bytes = this.speaker.opts.unreadable?.includes(file) ? undefined : this.speaker.file(file);
    const info = bytes ? mp3Info(bytes) : null;
    this.later(this.speaker.opts.prepareMs ?? 150, 'media PREPARE', () => this.call(callback, info !== null));
  }

  start(file: string, volume: number, play: number, complete: number): void {
    const bytes = this.speaker.file(file);
    const info = bytes ? mp3Info(bytes) : null;
    const ms = info?.ms ?? 0;
    const { screenOn, at } = this.where();
    const index = this.speaker.record({
      t: this.world.t(),
      at: this.world.clock.now(),
      file,
      context: this.context,
      where: at,
      screenOn,
      volume,
      ms,
      heardMs: ms,
    });
    this.later(0, 'media PLAY', () => this.call(play, true));
    const done = this.later(ms, 'media COMPLETE', () => {
      this.playing = undefined;
      this.call(complete, true);
    });
    this.playing = { index, complete: done };
  }

  /** stop(), or the page or service going away: pending events dropped, what plays cut. */
  stop(why: string): void {
    for (const ev of this.pending) this.world.clock.cancel(ev);
    this.pending = [];
    const p = this.playing;
    this.playing = undefined;
    if (!p?.complete) return;
    const s = this.speaker.sounds()[p.index]!;
    this.speaker.heard(p.index, this.world.clock.now() - s.at, why);
  }
}

/** `@zos/media`'s operations, for one context's player. */
export function mediaOps(speaker: Speaker, channel: PlayerChannel): HostHandlers<HostOpsOf<'media'>> {
  return {
    'media.speaker': () => speaker.opts.speaker ?? true,
    'media.prepare': ({ file, callback }) => channel.prepare(file, callback),
    'media.start': ({ file, volume, play, complete }) => channel.start(file, volume, play, complete),
    'media.stop': () => channel.stop('stop()'),
  };
}
