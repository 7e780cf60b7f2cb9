/**
 * `@zos/media` (Zepp docs media/create, media/Player; API_LEVEL 3.0): `create(id.PLAYER)` and the
 * Player's states, events and methods as its page gives them. The host (zos/media.ts) checks the files
 * and times the events. Constant numbers are the double's own: app code must use the names.
 *
 * The page lists states and which call leads to which (INITIALIZED "after setSource()", PREPARE the
 * "asynchronous result of prepare()", PLAY the "result after start()"), and says nothing of a call made
 * in another state: the double takes the harsher reading and refuses it, citing the page. So
 * `setSource` needs IDLE (a new player, or one stopped), `prepare` INITIALIZED, `start` PREPARED or
 * PAUSED; `stop` is allowed in any state and brings the player back to IDLE. A COMPLETE leaves the player
 * where it was until `stop()` (the page's example stops it on COMPLETE). `seek` (4.2) and `seekTo` (4.3)
 * are held to their levels, then fail as not modelled, as does the Recorder.
 */
import {
  callApp,
  guardModule,
  host,
  notModelled,
  refuse,
  requireApi,
  strict,
  type Fn,
  type Obj,
} from '../bridge';
import { forgetCallback, keepCallback } from './service';

const PAGE = 'media/Player';
/** A table of constants, frozen, its values typed as plain numbers. */
const constants = <T extends Record<string, number>>(o: T): { readonly [K in keyof T]: number } =>
  Object.freeze(o);
const SOURCE = constants({ FILE: 1 });
const EVENT = constants({ PREPARE: 1, COMPLETE: 2, PLAY: 3, STOP: 4, PAUSE: 5, PROGRESS: 6 });
const STATE = constants({
  IDLE: 0,
  INITIALIZED: 1,
  PREPARING: 2,
  PREPARED: 3,
  STARTING: 4,
  PLAY: 5,
  PAUSING: 6,
  PAUSED: 7,
  RESUMING: 8,
});
const STATE_NAME = new Map(Object.entries(STATE).map(([k, v]) => [v, k]));
const ID = { PLAYER: 1, RECORDER: 2 };

/** A call in a state the page does not lead to it from: refused (the harsher reading). */
function inState(player: Player, api: string, allowed: readonly number[]): void {
  if (allowed.includes(player.status)) return;
  const want = allowed.map((s) => STATE_NAME.get(s)).join(' or ');
  refuse(
    `@zos/media Player.${api}() in state ${STATE_NAME.get(player.status)} (it needs ${want}: the reference gives no other order; harsher reading)`,
    `Player.${api} outside the states the reference leads to it from (harsher reading)`,
    PAGE,
  );
}

class Player {
  // The constants, shared by every player (read from the prototype, as a native binding's would be): a
  // copy on each player would sit on the app's heap, which bench/footprint.ts measures.
  get source(): typeof SOURCE {
    return SOURCE;
  }
  get event(): typeof EVENT {
    return EVENT;
  }
  get state(): typeof STATE {
    return STATE;
  }
  status = STATE.IDLE;
  private file: string | undefined;
  private volume = 50;
  /** Bumped by stop(): an answer to an earlier prepare or start is dropped. */
  private generation = 0;
  private readonly listeners = new Map<number, Fn[]>();
  /** The callbacks kept for the host's answers to come: forgotten by stop(), which cancels them. */
  private kept: number[] = [];

  constructor() {
    return strict('@zos/media', 'Player', this);
  }

  private emit(event: number, result: boolean): void {
    for (const cb of this.listeners.get(event) ?? []) callApp(`Player event ${event}`, cb, undefined, result);
  }

  addEventListener(event: unknown, callback: unknown): void {
    if (typeof event !== 'number' || !Object.values(EVENT).includes(event))
      refuse(
        `@zos/media Player.addEventListener: ${String(event)} is not a player.event constant`,
        'an unknown event',
        PAGE,
      );
    if (typeof callback !== 'function')
      refuse('@zos/media Player.addEventListener: the callback is not a function', 'no callback', PAGE);
    this.listeners.set(event as number, [...(this.listeners.get(event as number) ?? []), callback as Fn]);
  }

  setSource(source: unknown, options: unknown): void {
    if (source !== SOURCE.FILE)
      refuse(
        '@zos/media Player.setSource: the source is not player.source.FILE',
        'a source other than FILE',
        PAGE,
      );
    const file = (options as Obj | null)?.file;
    if (typeof file !== 'string' || file === '')
      refuse('@zos/media Player.setSource: options.file must be a path', 'no options.file', PAGE);
    inState(this, 'setSource', [STATE.IDLE]);
    this.file = file as string;
    this.status = STATE.INITIALIZED;
  }

  prepare(): void {
    inState(this, 'prepare', [STATE.INITIALIZED]);
    this.status = STATE.PREPARING;
    const generation = this.generation;
    const callback = this.keep('@zos/media Player PREPARE', (ok: boolean) => {
      if (generation !== this.generation) return;
      this.status = ok ? STATE.PREPARED : STATE.INITIALIZED;
      this.emit(EVENT.PREPARE, ok);
    });
    host('media.prepare', { file: this.file!, callback });
  }

  start(): void {
    inState(this, 'start', [STATE.PREPARED, STATE.PAUSED]);
    if (this.status === STATE.PAUSED)
      notModelled('@zos/media Player.start after pause', '@zos/media Player.resume');
    this.status = STATE.STARTING;
    const generation = this.generation;
    const play = this.keep('@zos/media Player PLAY', () => {
      if (generation !== this.generation) return;
      this.status = STATE.PLAY;
      this.emit(EVENT.PLAY, true);
    });
    const complete = this.keep('@zos/media Player COMPLETE', () => {
      if (generation === this.generation) this.emit(EVENT.COMPLETE, true);
    });
    host('media.start', { file: this.file!, volume: this.volume, play, complete });
  }

  private keep(label: string, fn: unknown): number {
    const id = keepCallback(label, fn);
    this.kept.push(id);
    return id;
  }

  stop(): void {
    const was = this.status;
    this.kept.forEach(forgetCallback);
    this.kept = [];
    this.generation++;
    this.status = STATE.IDLE;
    this.file = undefined;
    host('media.stop');
    if (was === STATE.PLAY || was === STATE.STARTING || was === STATE.PAUSED) this.emit(EVENT.STOP, true);
  }

  setVolume(volume: unknown): boolean {
    if (typeof volume !== 'number' || volume < 0 || volume > 100)
      refuse(
        `@zos/media Player.setVolume(${String(volume)}): the volume is in [0 - 100]`,
        'a volume outside 0–100',
        PAGE,
      );
    this.volume = volume as number;
    return true;
  }

  getVolume(): number {
    return this.volume;
  }

  getStatus(): number {
    return this.status;
  }

  pause(): void {
    notModelled('not implemented by the runtime double: @zos/media Player.pause', '@zos/media Player.pause');
  }

  resume(): void {
    notModelled(
      'not implemented by the runtime double: @zos/media Player.resume',
      '@zos/media Player.resume',
    );
  }

  seek(): boolean {
    requireApi('4.2', '@zos/media Player.seek', { page: PAGE });
    return notModelled(
      'not implemented by the runtime double: @zos/media Player.seek',
      '@zos/media Player.seek',
    );
  }

  seekTo(): boolean {
    requireApi('4.3', '@zos/media Player.seekTo', { page: PAGE });
    return notModelled(
      'not implemented by the runtime double: @zos/media Player.seekTo',
      '@zos/media Player.seekTo',
    );
  }
}

/** media/create: a Player, or (where the watch has no speaker) a throw the app must catch. */
function create(controllerId: unknown): Player {
  if (controllerId === ID.RECORDER)
    return notModelled('not implemented by the runtime double: @zos/media Recorder', '@zos/media Recorder');
  if (controllerId !== ID.PLAYER)
    return refuse(
      `@zos/media create(${String(controllerId)}): not id.PLAYER nor id.RECORDER`,
      'an unknown controller id',
      'media/create',
    );
  if (!host('media.speaker')) throw new Error('@zos/media create(id.PLAYER): this watch has no speaker');
  return new Player();
}

export const mediaModule = (): Obj => guardModule('@zos/media', { create, id: { ...ID } });
