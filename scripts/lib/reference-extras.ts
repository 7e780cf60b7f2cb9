/**
 * What the API reference says outside the tables `test/runtime/data/platform-spec.json` was made from,
 * read from the pages themselves (zepp-health/zeppos-docs, docs/reference/device-app-api/newAPI): the
 * names each page's code examples import from `@zos/*` (`SCROLL_LIST`, `keyboard`), the `prop.X` and
 * `widget.X` constants it names, which widgets its examples create on an instance (a RADIO_GROUP's
 * STATE_BUTTONs), the get/set column of its `prop.X` tables, and a property-access table the first
 * extraction missed (SCROLL_LIST's has a Chinese header). Facts only, as for platform-spec.json.
 */

export interface PageExtras {
  /** Module → the names the page's examples import from it. */
  readonly imports?: Readonly<Record<string, readonly string[]>>;
  /** `prop.X` the page names. */
  readonly props?: readonly string[];
  /** `widget.X` the page names. */
  readonly widgets?: readonly string[];
  /**
   * Containers the page's examples create widgets on (`const group = createWidget(widget.GROUP, ...)`, then
   * `group.createWidget(widget.IMG, ...)`): container type → the child types created, `*` where the
   * example does not name one (`group.createWidget(xxx, xxx)`).
   */
  readonly containers?: Readonly<Record<string, readonly string[]>>;
  /**
   * Methods the page's examples call on a widget it creates (`canvas.drawRect(...)`), by widget type:
   * setProperty, getProperty and createWidget aside.
   */
  readonly methods?: Readonly<Record<string, readonly string[]>>;
  /** `prop.X` rows of a table with a get/set column: may setProperty / getProperty take it. */
  readonly propOps?: Readonly<Record<string, { readonly set: boolean; readonly get: boolean }>>;
  /** A property-access table (setProperty, getProperty, setter, getter per property). */
  readonly propertyAccess?: Readonly<
    Record<string, { setProperty: boolean; getProperty: boolean; setter: boolean; getter: boolean }>
  >;
}

export interface ReferenceExtras {
  readonly source: string;
  readonly pages: Readonly<Record<string, PageExtras>>;
}

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*['"](@zos\/[\w/-]+)['"]/g;
const PROP = /\bprop\.([A-Z][A-Z0-9_]*)\b/g;
const WIDGET = /\bwidget\.([A-Z][A-Z0-9_]*)\b/g;
const MADE = /\b(\w+)\s*=\s*(?:\w+\.)?createWidget\(\s*(?:\w+\.)?widget\.([A-Z][A-Z0-9_]*)/g;
const CALL = /\b(\w+)\.([a-zA-Z_$][\w$]*)\(/g;
const ON_INSTANCE = /\b(\w+)\.createWidget\(\s*(?:(?:\w+\.)?widget\.([A-Z][A-Z0-9_]*))?/g;

const unique = (xs: Iterable<string>): string[] => [...new Set(xs)].sort();

/** A markdown table: its header cells and its rows' cells, with backticks and links stripped. */
function tables(text: string): { header: string[]; rows: string[][] }[] {
  const out: { header: string[]; rows: string[][] }[] = [];
  const cells = (line: string): string[] =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) =>
        c
          .trim()
          .replace(/`/g, '')
          .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'),
      );
  const lines = text.split('\n');
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i]!.trim().startsWith('|') || !/^\s*\|?\s*:?-{2,}/.test(lines[i + 1]!)) continue;
    const header = cells(lines[i]!);
    const rows: string[][] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j]!.trim().startsWith('|'); j++) rows.push(cells(lines[j]!));
    out.push({ header, rows });
    i = j - 1;
  }
  return out;
}

const yes = (cell: string | undefined): boolean => /^y(es)?$/i.test((cell ?? '').trim());

export function extrasOfPage(text: string): PageExtras {
  const imports: Record<string, string[]> = {};
  for (const m of text.matchAll(IMPORT)) {
    const names = m[1]!
      .split(',')
      .map((n) =>
        n
          .trim()
          .split(/\s+as\s+/)[0]!
          .trim(),
      )
      .filter((n) => /^[A-Za-z_$][\w$]*$/.test(n));
    imports[m[2]!] = unique([...(imports[m[2]!] ?? []), ...names]);
  }
  const props = unique([...text.matchAll(PROP)].map((m) => m[1]!));
  const widgets = unique([...text.matchAll(WIDGET)].map((m) => m[1]!));
  const made = new Map([...text.matchAll(MADE)].map((m) => [m[1]!, m[2]!]));
  // The page's own widget: `const group = createWidget(widget.GROUP, Param)` before `group.createWidget(xxx)`.
  const containers: Record<string, string[]> = {};
  const methods: Record<string, string[]> = {};
  for (const m of text.matchAll(CALL)) {
    const type = made.get(m[1]!);
    if (!type || ['setProperty', 'getProperty', 'createWidget'].includes(m[2]!)) continue;
    methods[type] = unique([...(methods[type] ?? []), m[2]!]);
  }
  for (const m of text.matchAll(ON_INSTANCE)) {
    const type = made.get(m[1]!);
    if (!type) continue;
    containers[type] = unique([...(containers[type] ?? []), m[2] ?? '*']);
  }
  const propOps: Record<string, { set: boolean; get: boolean }> = {};
  let propertyAccess:
    | Record<string, { setProperty: boolean; getProperty: boolean; setter: boolean; getter: boolean }>
    | undefined;
  for (const t of tables(text)) {
    const h = t.header.map((c) => c.toLowerCase());
    const ops = h.findIndex((c) => /get\s*\/\s*set|set\s*\/\s*get/.test(c));
    if (ops > 0) {
      for (const row of t.rows) {
        const name = /^prop\.([A-Za-z][\w]*)$/.exec(row[0] ?? '')?.[1];
        if (!name) continue;
        const cell = (row[ops] ?? '').toLowerCase();
        propOps[name] = { set: /\bset\b/.test(cell), get: /\bget\b/.test(cell) };
      }
    }
    const col = (name: string): number => h.indexOf(name);
    if (col('setproperty') > 0 && col('getproperty') > 0 && col('setter') > 0 && col('getter') > 0) {
      propertyAccess ??= {};
      for (const row of t.rows) {
        const name = row[0];
        if (!name || !/^[a-z_][\w]*$/i.test(name)) continue;
        propertyAccess[name] = {
          setProperty: yes(row[col('setproperty')]),
          getProperty: yes(row[col('getproperty')]),
          setter: yes(row[col('setter')]),
          getter: yes(row[col('getter')]),
        };
      }
    }
  }
  return {
    ...(Object.keys(imports).length ? { imports } : {}),
    ...(props.length ? { props } : {}),
    ...(widgets.length ? { widgets } : {}),
    ...(Object.keys(containers).length ? { containers } : {}),
    ...(Object.keys(methods).length ? { methods } : {}),
    ...(Object.keys(propOps).length ? { propOps } : {}),
    ...(propertyAccess ? { propertyAccess } : {}),
  };
}
