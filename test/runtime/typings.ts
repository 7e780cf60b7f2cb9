/**
 * Reads `@zeppos/device-types` (the authority for watch-side APIs): for every `declare module '@zos/x'`,
 * its top-level exports and the members of its exported classes, each with the API level of its
 * `@version` tag, its `@permissionCode`, and the line it is on. An "after API_LEVEL x.y" sentence in a
 * member's description (Vibrator.start's array form) is kept apart as `argSince`: the member exists
 * before that level, one form of its argument does not.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface TypedName {
  readonly name: string;
  readonly kind: 'function' | 'const' | 'class' | 'member';
  /** API level from `@version`, e.g. "3.6"; undefined when untagged (there since before 3.0). */
  readonly since: string | undefined;
  /** API level from an "after API_LEVEL x.y" sentence: a form of the arguments needs it. */
  readonly argSince: string | undefined;
  readonly permission: string | undefined;
  /** 1-based line in dist/index.d.ts. */
  readonly line: number;
}

export interface TypedModule {
  readonly name: string;
  readonly exports: ReadonlyMap<string, TypedName>;
  /** Class name → member name → typed member. */
  readonly members: ReadonlyMap<string, ReadonlyMap<string, TypedName>>;
}

export interface Typings {
  readonly file: string;
  readonly version: string;
  readonly modules: ReadonlyMap<string, TypedModule>;
  /** Keys of a named interface (e.g. IHmUIWidgetType), in declaration order. */
  interfaceKeys(name: string): string[];
}

const require = createRequire(import.meta.url);
let cached: Typings | undefined;

export function loadTypings(): Typings {
  if (cached) return cached;
  const file = require.resolve('@zeppos/device-types/dist/index.d.ts');
  const pkg = JSON.parse(readFileSync(require.resolve('@zeppos/device-types/package.json'), 'utf8')) as {
    version: string;
  };
  const text = readFileSync(file, 'utf8');
  cached = {
    file,
    version: pkg.version,
    modules: parseTypings(text),
    interfaceKeys: (n) => interfaceKeys(text, n),
  };
  return cached;
}

const VERSION_TAG = /@version\s+(\d+\.\d+)/;
const AFTER_LEVEL = /after API_LEVEL\s+(\d+\.\d+)/;
const PERMISSION = /@permissionCode\s+(\S+)/;

interface MutableModule {
  name: string;
  exports: Map<string, TypedName>;
  members: Map<string, Map<string, TypedName>>;
}

export function parseTypings(text: string): Map<string, TypedModule> {
  const modules = new Map<string, TypedModule>();
  let current: MutableModule | undefined;
  let doc: string[] = [];
  let inDoc = false;
  let inClass: Map<string, TypedName> | undefined;
  // `interface localStorage {...}` carries the doc of `const localStorage: localStorage`.
  const interfaceDocs = new Map<string, string[]>();
  const tags = (d: readonly string[]) => {
    const joined = d.join('\n');
    return {
      since: VERSION_TAG.exec(joined)?.[1],
      argSince: AFTER_LEVEL.exec(joined)?.[1],
      permission: PERMISSION.exec(joined)?.[1],
    };
  };
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    const mod = /^declare module '(@zos\/[^']+)'/.exec(raw);
    if (mod) {
      current = { name: mod[1]!, exports: new Map(), members: new Map() };
      modules.set(current.name, current);
      inClass = undefined;
      doc = [];
      interfaceDocs.clear();
      return;
    }
    if (!current) return;
    const trimmed = raw.trim();
    if (trimmed.startsWith('/**')) {
      inDoc = !trimmed.endsWith('*/');
      doc = [trimmed];
      return;
    }
    if (inDoc) {
      doc.push(trimmed);
      if (trimmed.endsWith('*/')) inDoc = false;
      return;
    }
    const iface = /^ {2}interface\s+([A-Za-z_$][\w$]*)/.exec(raw);
    if (iface) {
      interfaceDocs.set(iface[1]!, doc);
      doc = [];
      return;
    }
    const top = /^ {2}(?:export\s+)?(function|const|let|class)\s+([A-Za-z_$][\w$]*)/.exec(raw);
    if (top) {
      const kind = top[1] === 'let' ? 'const' : (top[1] as 'function' | 'const' | 'class');
      const name = top[2]!;
      const t = tags(doc.length ? doc : (interfaceDocs.get(name) ?? []));
      const prev = current.exports.get(name);
      // Overloads: an untagged overload means "there since before 3.0"; otherwise the lowest level wins.
      if (!prev) current.exports.set(name, { name, kind, ...t, line });
      else if (prev.since && (!t.since || t.since < prev.since))
        current.exports.set(name, { ...prev, since: t.since });
      inClass = undefined;
      if (kind === 'class' && !raw.includes('}')) {
        inClass = current.members.get(name) ?? new Map();
        current.members.set(name, inClass);
      }
      doc = [];
      return;
    }
    if (/^ {2}\}/.test(raw)) {
      inClass = undefined;
      doc = [];
      return;
    }
    if (inClass) {
      const member = /^ {4}(?:static\s+)?([A-Za-z_$][\w$]*)\s*[(<:?]/.exec(raw);
      if (member && !inClass.has(member[1]!)) {
        const t = tags(doc);
        // A member's "after API_LEVEL" sentence limits an argument form, not the member itself.
        inClass.set(member[1]!, {
          name: member[1]!,
          kind: 'member',
          since: t.since,
          argSince: t.argSince,
          permission: t.permission,
          line,
        });
      }
    }
    doc = [];
  });
  return modules;
}

function interfaceKeys(text: string, name: string): string[] {
  const start = text.search(new RegExp(`interface ${name} \\{`));
  if (start < 0) throw new Error(`@zeppos/device-types has no interface ${name}`);
  const body = text.slice(start, text.indexOf('\n            }', start));
  return [...body.matchAll(/^\s+([A-Z_][A-Z0-9_]*)\??:/gm)].map((m) => m[1]!);
}

/** "3.6" >= "3.10" compares as numbers per part. */
export function apiAtLeast(api: string, min: string): boolean {
  const [a1 = 0, a2 = 0] = api.split('.').map(Number);
  const [b1 = 0, b2 = 0] = min.split('.').map(Number);
  return a1 > b1 || (a1 === b1 && a2 >= b2);
}

/** A typed name as the guest reads it (JSON-safe). */
export interface TypedInfo {
  readonly kind: string;
  readonly line: number;
  readonly since?: string;
  readonly argSince?: string;
  readonly permission?: string;
}

/** The typings as the guest's bridge reads them. */
export interface GuestTypings {
  readonly version: string;
  readonly modules: Readonly<
    Record<
      string,
      {
        readonly exports: Readonly<Record<string, TypedInfo>>;
        readonly members: Readonly<Record<string, Readonly<Record<string, TypedInfo>>>>;
      }
    >
  >;
  readonly ui: {
    readonly widgetTypes: readonly string[];
    readonly props: readonly string[];
    readonly align: readonly string[];
    readonly event: readonly string[];
    readonly textStyle: readonly string[];
  };
}

let guestTypings: GuestTypings | undefined;
/** The typings as the guest's bridge reads them (JSON-safe), parsed once per process. */
export function typingsForGuest(): GuestTypings {
  if (guestTypings) return guestTypings;
  const t = loadTypings();
  const modules: Record<string, GuestTypings['modules'][string]> = {};
  const strip = (n: {
    kind: string;
    since: string | undefined;
    argSince: string | undefined;
    permission: string | undefined;
    line: number;
  }): TypedInfo => ({
    kind: n.kind,
    line: n.line,
    ...(n.since ? { since: n.since } : {}),
    ...(n.argSince ? { argSince: n.argSince } : {}),
    ...(n.permission ? { permission: n.permission } : {}),
  });
  for (const [name, m] of t.modules) {
    modules[name] = {
      exports: Object.fromEntries([...m.exports].map(([k, v]) => [k, strip(v)])),
      members: Object.fromEntries(
        [...m.members].map(([c, mem]) => [c, Object.fromEntries([...mem].map(([k, v]) => [k, strip(v)]))]),
      ),
    };
  }
  guestTypings = {
    version: t.version,
    modules,
    ui: {
      widgetTypes: t.interfaceKeys('IHmUIWidgetType'),
      props: t.interfaceKeys('IHmUIPropertyType'),
      align: t.interfaceKeys('IHmUIAlign'),
      event: t.interfaceKeys('IHmUIEventType'),
      textStyle: t.interfaceKeys('IHmUIWrapTextStyle'),
    },
  };
  return guestTypings;
}
