/**
 * The BLE link between the watch app and the phone, at the level zml's watch side talks to it:
 * `@zos/ble` frames with a 16-byte header (flag u8, version u8, type u16, port1 u16, port2 u16,
 * appId u32, extra u32; zml 0.0.43 `buildBin`/`readBin`). The phone end plays the Zepp app: it answers
 * the handshake (type 1) with the side service's port (0 when the service is not running, which zml
 * turns into error 3 "side service is not running"), strips the header off data frames (type 4) for
 * the side service's `messaging.peerSocket`, and wraps what the side service sends in a header again.
 *
 * Faults: latency per frame, drops (next n data frames, per direction), disconnect (phone away).
 */
import type { VirtualClock } from './clock';

export type Direction = 'watch→phone' | 'phone→watch';

export interface Traffic {
  /** Virtual time (epoch ms) the frame or message left its sender. */
  readonly at: number;
  readonly dir: Direction;
  readonly kind: 'shake' | 'shake-reply' | 'close' | 'request' | 'response' | 'call' | 'frame';
  readonly traceId?: number;
  /** Decoded body of a whole message (JSON, text, or `{ bytes: n }`). */
  readonly body?: unknown;
  readonly dropped?: string;
}

export interface DropRule {
  direction: Direction | 'both';
  /** Data frames to drop; handshakes are dropped only with `shakes: true`. */
  remaining: number;
  shakes: boolean;
}

const HEADER = 16;
const MSG_HEADER = 66;
const PAYLOAD_TYPES: Record<number, Traffic['kind']> = { 1: 'request', 2: 'response', 3: 'call' };

export interface LinkEnds {
  /** Delivers a whole BLE frame to the watch app; false if nothing listens. */
  toWatch(frame: Uint8Array): boolean;
  /** Delivers a data payload to the side service; false if it is not running. */
  toSide(payload: Uint8Array): boolean;
  sideRunning(): boolean;
  appId(): number;
  /** Notifies the watch app's `@zos/ble` listeners. */
  watchStatus(connected: boolean): void;
}

export class Link {
  connected = true;
  latencyMs: number;
  private drops: DropRule[] = [];
  private readonly log: Traffic[] = [];
  private readonly partial = new Map<string, Uint8Array[]>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly ends: LinkEnds,
    latencyMs: number,
  ) {
    this.latencyMs = latencyMs;
  }

  traffic(): readonly Traffic[] {
    return this.log;
  }

  drop(rule: Partial<DropRule> & { count?: number }): void {
    this.drops.push({
      direction: rule.direction ?? 'both',
      remaining: rule.count ?? rule.remaining ?? 1,
      shakes: rule.shakes ?? false,
    });
  }

  setConnected(on: boolean): void {
    if (this.connected === on) return;
    this.connected = on;
    this.ends.watchStatus(on);
  }

  /** `@zos/ble` send from the watch. Returns what `send` returns: false when disconnected. */
  fromWatch(frame: Uint8Array): boolean {
    if (!this.connected) return false;
    const type = frame.length >= HEADER ? frame[2]! | (frame[3]! << 8) : -1;
    const dropped = this.shouldDrop('watch→phone', type === 1);
    this.record('watch→phone', type, frame.subarray(HEADER), dropped);
    if (dropped) return true;
    this.clock.schedule(this.latencyMs, 'ble watch→phone', 'link', () => this.arriveAtPhone(type, frame));
    return true;
  }

  /** `messaging.peerSocket.send` from the side service. */
  fromSide(payload: Uint8Array): void {
    // zml's side sends its close (and only that) as a whole BLE frame (buildClose: flag 1, version 1,
    // type 2, payload [appId]); data goes without the header. The double relays the close as a close,
    // so the watch's zml sets its side port to 0 ("side service is not running") as on a real link.
    const isFrame =
      payload.length === HEADER + 1 &&
      payload[0] === 1 &&
      payload[1] === 1 &&
      payload[2] === 2 &&
      payload[3] === 0;
    const frame = isFrame ? payload.slice() : this.frame(4, 20, 1, payload);
    if (!this.connected) {
      this.record('phone→watch', 4, payload, 'phone away');
      return;
    }
    const dropped = this.shouldDrop('phone→watch', false);
    this.record('phone→watch', isFrame ? 2 : 4, payload, dropped);
    if (dropped) return;
    this.schedule(frame);
  }

  private arriveAtPhone(type: number, frame: Uint8Array): void {
    if (!this.connected) return;
    if (type === 1) {
      // Handshake: the phone answers with the side service's port; 0 means "not running".
      const port = this.ends.sideRunning() ? 1 : 0;
      const reply = this.frame(1, 20, port, Uint8Array.of(this.ends.appId() & 0xff));
      const dropped = this.shouldDrop('phone→watch', true);
      this.record('phone→watch', 1, reply.subarray(HEADER), dropped);
      if (!dropped) this.schedule(reply);
    } else if (type === 4 || type === 5) {
      this.ends.toSide(frame.slice(HEADER));
    }
  }

  private schedule(frame: Uint8Array): void {
    this.clock.schedule(this.latencyMs, 'ble phone→watch', 'link', () => {
      if (this.connected) this.ends.toWatch(frame);
    });
  }

  private frame(type: number, port1: number, port2: number, payload: Uint8Array): Uint8Array {
    const out = new Uint8Array(HEADER + payload.length);
    const v = new DataView(out.buffer);
    v.setUint8(0, 1);
    v.setUint8(1, 1);
    v.setUint16(2, type, true);
    v.setUint16(4, port1, true);
    v.setUint16(6, port2, true);
    v.setUint32(8, this.ends.appId(), true);
    v.setUint32(12, 0, true);
    out.set(payload, HEADER);
    return out;
  }

  private shouldDrop(dir: Direction, shake: boolean): string | undefined {
    const rule = this.drops.find(
      (r) => r.remaining > 0 && (r.direction === 'both' || r.direction === dir) && (!shake || r.shakes),
    );
    if (!rule) return undefined;
    rule.remaining--;
    this.drops = this.drops.filter((r) => r.remaining > 0);
    return 'fault: dropped';
  }

  private record(dir: Direction, type: number, payload: Uint8Array, dropped: string | undefined): void {
    const at = this.clock.now();
    const base = dropped ? { dropped } : {};
    if (type === 1)
      this.log.push({ at, dir, kind: dir === 'watch→phone' ? 'shake' : 'shake-reply', ...base });
    else if (type === 2) this.log.push({ at, dir, kind: 'close', ...base });
    else if ((type === 4 || type === 5) && payload.length >= MSG_HEADER)
      this.recordMessage(at, dir, payload, dropped);
    else this.log.push({ at, dir, kind: 'frame', body: { bytes: payload.length }, ...base });
  }

  /** Reassembles zml's chunks (66-byte message header: traceId @0, payloadType @24, opCode @25, contentType @54). */
  private recordMessage(at: number, dir: Direction, p: Uint8Array, dropped: string | undefined): void {
    const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
    const traceId = v.getUint32(0, true);
    const payloadType = p[24]!;
    const final = p[25] === 1;
    const contentType = p[54]!;
    const key = `${dir}:${traceId}:${payloadType}`;
    const chunks = [...(this.partial.get(key) ?? []), p.subarray(MSG_HEADER)];
    if (!final) {
      this.partial.set(key, chunks);
      return;
    }
    this.partial.delete(key);
    const bytes = Buffer.concat(chunks);
    let body: unknown = { bytes: bytes.length };
    if (contentType === 2 || contentType === 1) {
      const text = bytes.toString('utf8');
      try {
        body = contentType === 2 ? JSON.parse(text) : text;
      } catch {
        body = text;
      }
    }
    this.log.push({
      at,
      dir,
      kind: PAYLOAD_TYPES[payloadType] ?? 'frame',
      traceId,
      body,
      ...(dropped ? { dropped } : {}),
    });
  }
}
