import type { KeyValueStore } from '../../core/base/kv';

/** Thrown by a write the process did not live to finish: that write did not happen. */
export class Crash extends Error {}

/**
 * A key-value store as a watch or a phone can leave it: any write may be the one the process dies
 * before (a crash between two writes), and any key may be damaged from outside. It also watches the
 * code under test: how many keys an operation reads, and whether a write lands on a key holding data
 * that the same operation never read (a write that could destroy what it did not look at).
 */
export class FaultyStore implements KeyValueStore {
  private readonly map = new Map<string, string>();
  /** Every value each key has held, oldest first: what a stale-but-valid value is made of. */
  private readonly past = new Map<string, string[]>();
  private dead = false;
  private readSinceMark = new Set<string>();
  reads = 0;
  readonly blindWrites: string[] = [];
  /** Keys written or removed since `mark()`, in order. */
  written: string[] = [];

  /** Distinct keys read since `mark()`: held ones and probes of absent ones. */
  get distinctReads(): number {
    return this.readSinceMark.size;
  }

  constructor(
    private readonly random: () => number,
    /** Chance that a given write is the one the process dies before. */
    public crashChance = 0,
  ) {}

  get(key: string): string | undefined {
    if (this.dead) throw new Crash('process is dead');
    this.reads++;
    this.readSinceMark.add(key);
    return this.map.get(key);
  }

  set(key: string, value: string): void {
    this.write(key, () => {
      this.remember(key);
      this.map.set(key, value);
    });
  }

  remove(key: string): void {
    this.write(key, () => {
      this.remember(key);
      this.map.delete(key);
    });
  }

  private write(key: string, apply: () => void): void {
    if (this.dead) throw new Crash('process is dead');
    if (this.map.has(key) && !this.readSinceMark.has(key)) this.blindWrites.push(key);
    this.written.push(key);
    if (this.random() < this.crashChance) {
      this.dead = true;
      throw new Crash(`crash before writing ${key}`);
    }
    apply();
  }

  private remember(key: string): void {
    const old = this.map.get(key);
    if (old === undefined) return;
    const list = this.past.get(key) ?? [];
    if (list[list.length - 1] !== old) list.push(old);
    if (list.length > 8) list.shift();
    this.past.set(key, list);
  }

  /** Starts counting an operation: its reads, and which keys it has looked at before writing. */
  mark(): void {
    this.reads = 0;
    this.readSinceMark = new Set();
    this.written = [];
  }

  /** The process is started again after a crash. */
  revive(): void {
    this.dead = false;
  }

  get crashed(): boolean {
    return this.dead;
  }

  keys(): string[] {
    return [...this.map.keys()];
  }

  peek(key: string): string | undefined {
    return this.map.get(key);
  }

  values(): string[] {
    return [...this.map.values()];
  }

  /** Damage from outside, written straight to the map (no crash, no bookkeeping). */
  damage(key: string, value: string | undefined): void {
    this.remember(key);
    if (value === undefined) this.map.delete(key);
    else this.map.set(key, value);
  }

  /** A value the key held before its current one (valid, but stale), if any. */
  older(key: string): string | undefined {
    const list = this.past.get(key) ?? [];
    const current = this.map.get(key);
    const candidates = list.filter((v) => v !== current);
    return candidates.length === 0 ? undefined : candidates[Math.floor(this.random() * candidates.length)];
  }
}

/**
 * The kinds of damage a key can take, each as it would come from a crash, a bad sector or a bad actor;
 * `missing`: the key is gone.
 */
export type Damage = 'garbage' | 'truncated' | 'stale' | 'hostile' | 'missing';

/**
 * A damaged version of `value` (undefined: the key removed); `hostile` values are valid JSON of the
 * wrong shape or absurd size.
 */
export function damaged(
  kind: Damage,
  value: string,
  older: string | undefined,
  random: () => number,
): string | undefined {
  switch (kind) {
    case 'missing':
      return undefined;
    case 'garbage':
      return Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
        String.fromCharCode(32 + Math.floor(random() * 95)),
      ).join('');
    case 'truncated':
      return value.slice(0, Math.floor(random() * value.length));
    case 'stale':
      return older ?? value;
    case 'hostile': {
      const shapes = [
        '{"v":1,"months":{"2026-11":1000000000}}',
        '{"entries":[{"id":"000000000-0000000000","slot":99999}],"rejected":[]}',
        '[]',
        '{}',
        'null',
        '1e308',
        JSON.stringify({ items: Array.from({ length: 50 }, () => ({ nested: [1, 2, 3] })) }),
        JSON.stringify(Array.from({ length: 200 }, () => JSON.parse(value.startsWith('[') ? '{}' : 'null'))),
      ];
      return shapes[Math.floor(random() * shapes.length)] as string;
    }
  }
}
