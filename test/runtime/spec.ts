/**
 * The official Zepp OS API reference as data (`data/platform-spec.json`, copied from the team's
 * shared reference, itself extracted from zepp-health/zeppos-docs at the commit its `source` names),
 * digested into what the double enforces: for each `@zos/*` module the API level each function,
 * class and constant starts from, the option fields each function lists, and for each widget the
 * parameters its page lists and its property-access table. Every rule the double applies with it
 * names the page it comes from ("ui/widget/BUTTON"), so a failure says where to read.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Row {
  readonly name: string;
  readonly since?: string;
  readonly required?: string;
}
interface Table {
  readonly section: string;
  readonly rows: readonly Row[];
}
interface Access {
  readonly setProperty?: boolean;
  readonly getProperty?: boolean;
  readonly setter?: boolean;
  readonly getter?: boolean;
}
interface ApiPage {
  readonly title: string;
  readonly since?: string;
  readonly module?: string;
  readonly permissions?: readonly string[];
  readonly tables?: readonly Table[];
  readonly propertyAccess?: Readonly<Record<string, Access>>;
}
interface SpecFile {
  readonly source: string;
  readonly apis: Readonly<Record<string, ApiPage>>;
}

/** A name the reference documents: the level it starts from and the page that says so. */
export interface SpecName {
  readonly since: string;
  readonly page: string;
  readonly permissions?: readonly string[];
  /** Option fields the function's page lists (its "Option"/"Options" table), each with its level. */
  readonly options?: Readonly<Record<string, string>>;
  /** A class page's tables (e.g. Vibrator "Action", "Type"): section → row → level. */
  readonly tables?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface SpecWidget {
  readonly since: string;
  readonly page: string;
  /** Creation parameters (the page's "Param: object" table): name → level. */
  readonly params: Readonly<Record<string, string>>;
  readonly required: readonly string[];
  /** The property-access table: may setProperty / getProperty touch it. Absent: the page has none. */
  readonly access?: Readonly<Record<string, { readonly set: boolean; readonly get: boolean }>>;
}

export interface SpecDigest {
  readonly source: string;
  readonly modules: Readonly<Record<string, Readonly<Record<string, SpecName>>>>;
  readonly constants: Readonly<Record<string, Readonly<Record<string, SpecName>>>>;
  readonly widgets: Readonly<Record<string, SpecWidget>>;
  /** `widget.setProperty`'s own page lists these ids for every widget (ui/setProperty). */
  readonly commonProps: readonly string[];
}

const FILE = fileURLToPath(new URL('./data/platform-spec.json', import.meta.url));
const CONSTANT = /^[A-Z][A-Z0-9_]+$/;
const IDENT = /^[A-Za-z_$][\w$]*$/;

/** "createWidget(widgetId, option)" → createWidget; "display/setPageBrightTime" → setPageBrightTime. */
export function nameOfTitle(title: string): string | undefined {
  const bare = title.replace(/\(.*$/, '').trim();
  const last = bare.split(/[/.]/).pop() ?? '';
  return IDENT.test(last) ? last : undefined;
}

export function digestSpec(spec: SpecFile): SpecDigest {
  const modules: Record<string, Record<string, SpecName>> = {};
  const constants: Record<string, Record<string, SpecName>> = {};
  const widgets: Record<string, SpecWidget> = {};
  let commonProps: string[] = [];
  for (const [page, api] of Object.entries(spec.apis)) {
    const since = api.since ?? '2.0';
    const tables = api.tables ?? [];
    if (page.startsWith('ui/widget/')) {
      const params = tables.find((t) => t.section === 'Param: object')?.rows ?? [];
      widgets[page.slice('ui/widget/'.length)] = {
        since,
        page,
        params: Object.fromEntries(params.map((r) => [r.name, r.since ?? since])),
        required: params.filter((r) => r.required === 'YES' || r.required === 'Y').map((r) => r.name),
        ...(api.propertyAccess
          ? {
              access: Object.fromEntries(
                Object.entries(api.propertyAccess).map(([k, a]) => [
                  k,
                  { set: a.setProperty === true, get: a.getProperty === true },
                ]),
              ),
            }
          : {}),
      };
      continue;
    }
    if (page === 'ui/setProperty') {
      commonProps = (tables.find((t) => t.section === 'PropertyId')?.rows ?? []).map((r) => r.name);
    }
    const module = api.module;
    const name = nameOfTitle(api.title);
    if (!module || !name) continue;
    const optionTable = tables.find((t) => t.section === 'Option' || t.section === 'Options');
    (modules[module] ??= {})[name] = {
      since,
      page,
      ...(api.permissions ? { permissions: api.permissions } : {}),
      ...(optionTable && !/^[A-Z]/.test(name)
        ? { options: Object.fromEntries(optionTable.rows.map((r) => [r.name, r.since ?? since])) }
        : {}),
      ...(/^[A-Z]/.test(name) && tables.length
        ? {
            tables: tables.reduce<Record<string, Record<string, string>>>((out, t) => {
              const rows = (out[t.section] ??= {});
              for (const r of t.rows) rows[r.name] ??= r.since ?? since;
              return out;
            }, {}),
          }
        : {}),
    };
    for (const t of tables) {
      if (!/constants$/i.test(t.section)) continue;
      for (const r of t.rows) {
        if (CONSTANT.test(r.name)) (constants[module] ??= {})[r.name] ??= { since: r.since ?? since, page };
      }
    }
  }
  return { source: spec.source, modules, constants, widgets, commonProps };
}

let cached: SpecDigest | undefined;
export function loadSpec(): SpecDigest {
  cached ??= digestSpec(JSON.parse(readFileSync(FILE, 'utf8')) as SpecFile);
  return cached;
}
