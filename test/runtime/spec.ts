/**
 * The official Zepp OS API reference as data, digested into what the double enforces:
 * - `data/platform-spec.json` (copied from the team's shared reference, itself extracted from
 *   zepp-health/zeppos-docs at the commit its `source` names): for each `@zos/*` module the API level each
 *   function, class and constant starts from, the option fields each function lists, and for each widget
 *   the parameters its page lists and its property-access table;
 * - `data/reference-extras.json` (scripts/reference-extras.ts, from the same pages at the same commit):
 *   what the pages say outside those tables, the names their examples import (`SCROLL_LIST`, `keyboard`),
 *   the `prop.X` and `widget.X` they name, the widgets their examples create on a container, the get/set
 *   column of their `prop.X` tables, and SCROLL_LIST's property-access table;
 * - the Flex layout guide (guides/framework/device/layout.md, same commit), written here by hand below.
 * Every rule the double applies with it names the page it comes from ("ui/widget/BUTTON"), so a failure
 * says where to read.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PageExtras, ReferenceExtras } from '../../scripts/lib/reference-extras';

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
type ExtrasPage = PageExtras;
type ExtrasFile = ReferenceExtras;

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

/** One row of a property-access table: setProperty, getProperty, and from API 4.0 the setter and getter. */
export interface PropertyAccess {
  readonly set: boolean;
  readonly get: boolean;
  readonly setter: boolean;
  readonly getter: boolean;
}

export interface SpecWidget {
  readonly since: string;
  readonly page: string;
  /**
   * Creation parameters: the page's "Param: object" table (or "radioGroupParam: object"...) and the
   * properties its property-access table lists: name → level.
   */
  readonly params: Readonly<Record<string, string>>;
  readonly required: readonly string[];
  /** The property-access table. Absent: the page has none. */
  readonly access?: Readonly<Record<string, PropertyAccess>>;
  /** `prop.X` the widget's page names (SCROLL_LIST's examples set prop.UPDATE_DATA). */
  readonly props?: readonly string[];
  /** `prop.X` the page's prop table gives a get/set column for (RADIO_GROUP prop.CHECKED: set and get). */
  readonly propOps?: Readonly<Record<string, { readonly set: boolean; readonly get: boolean }>>;
  /** Widget types the page's examples create on an instance of this one; `*` for any. */
  readonly children?: readonly string[];
  /** Methods of its own the page's examples call on it (CANVAS `drawRect`), with the page that shows them. */
  readonly methods?: Readonly<Record<string, string>>;
}

/** A documented method of a widget instance (`widget.setAlpha(val)`, `setLayoutParent(parent)`). */
export interface SpecMethod {
  readonly since: string;
  readonly page: string;
}

export interface SpecDigest {
  readonly source: string;
  readonly modules: Readonly<Record<string, Readonly<Record<string, SpecName>>>>;
  readonly constants: Readonly<Record<string, Readonly<Record<string, SpecName>>>>;
  readonly widgets: Readonly<Record<string, SpecWidget>>;
  /** `widget.setProperty`'s own page lists these ids for every widget (ui/setProperty). */
  readonly commonProps: readonly string[];
  /** Every name a page documents for a module, by its examples' imports or its title: name → page. */
  readonly documented: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** `widget.X` and `prop.X` names the reference documents, each with a page that names it. */
  readonly widgetNames: Readonly<Record<string, string>>;
  readonly propNames: Readonly<Record<string, string>>;
  readonly widgetMethods: Readonly<Record<string, SpecMethod>>;
  /** The widget getter/setter feature (ui/gettersetter): from which level. */
  readonly gettersetter: SpecMethod;
  /** Flex layout (guides/framework/device/layout.md): the `layout` and `parent` parameters. */
  readonly layout: {
    readonly since: string;
    readonly page: string;
    /** The widgets whose `layout` the guide lists under "Widget Support" (by their widget constants). */
    readonly widgets: readonly string[];
    /** The properties of `layout`: its "Configuration Options" table, and x, y of its own examples. */
    readonly keys: readonly string[];
  };
}

const FILE = fileURLToPath(new URL('./data/platform-spec.json', import.meta.url));
const EXTRAS = fileURLToPath(new URL('./data/reference-extras.json', import.meta.url));
const CONSTANT = /^[A-Z][A-Z0-9_]+$/;
const IDENT = /^[A-Za-z_$][\w$]*$/;

/**
 * guides/framework/device/layout.md (c08725b), copied by hand: API_LEVEL 4.0 "introduced support for
 * Flex layout"; the widgets of "Widget Support" (the guide spells CHECKBOX_GROUP "CHECK_GROUP",
 * WIDGET_PICKER "WIDGET_PIKCER", PAGE_INDICATOR "PAGE_INDICTOR", and leaves VIRTUAL_CONTAINER, the
 * layout container it introduces, out of the list); the keys of "Configuration Options", and the x and y
 * its own examples give a root container.
 */
const LAYOUT = {
  since: '4.0',
  page: 'guides/framework/device/layout.md',
  widgets: [
    'VIRTUAL_CONTAINER',
    'SCROLL_LIST',
    'VIEW_CONTAINER',
    'GROUP',
    'CHECKBOX_GROUP',
    'SLIDE_SWITCH',
    'KEYBOARD',
    'RADIO_GROUP',
    'CANVAS',
    'CIRCLE',
    'ARC',
    'FILL_RECT',
    'STROKE_RECT',
    'CYCLE_LIST',
    'CYCLE_IMAGE_TEXT_LIST',
    'BUTTON',
    'TEXT',
    'STATE_BUTTON',
    'IMG',
    'IMG_ANIM',
    'WIDGET_PICKER',
    'HISTOGRAM',
    'PAGE_INDICATOR',
  ],
  keys: [
    'width',
    'height',
    'min-width',
    'max-width',
    'min-height',
    'max-height',
    'padding',
    'padding-top',
    'padding-bottom',
    'padding-left',
    'padding-right',
    'gap',
    'row-gap',
    'column-gap',
    'left',
    'top',
    'right',
    'bottom',
    'align',
    'display',
    'flex-flow',
    'justify-content',
    'align-items',
    'align-content',
    'flex-grow',
    'tags',
    'font-size',
    'corner-radius',
    'line-clamp',
    'x',
    'y',
  ],
} as const;

/**
 * Widget methods whose pages do not say `widget.` in their title: the layout guide names them "widget
 * node operation APIs" called on a widget (`text.setLayoutParent(container)`).
 */
const NODE_METHOD_PAGES = [
  'ui/setLayoutParent',
  'ui/addLayoutChild',
  'ui/removeLayoutChild',
  'ui/updateLayoutStyle',
];

/** "createWidget(widgetId, option)" → createWidget; "display/setPageBrightTime" → setPageBrightTime. */
export function nameOfTitle(title: string): string | undefined {
  const bare = title
    .replace(/\(.*$/, '')
    .replace(/\s+API$/, '')
    .trim();
  const last = bare.split(/[/.]/).pop() ?? '';
  return IDENT.test(last) ? last : undefined;
}

const isRequired = (r: Row): boolean => r.required === 'YES' || r.required === 'Y';

function accessOf(table: Readonly<Record<string, Access>>): Record<string, PropertyAccess> {
  return Object.fromEntries(
    Object.entries(table).map(([k, a]) => [
      k,
      {
        set: a.setProperty === true,
        get: a.getProperty === true,
        setter: a.setter === true,
        getter: a.getter === true,
      },
    ]),
  );
}

/** The level any table of the page gives `name` (RADIO_GROUP's StateButton table: select_color 4.0). */
function levelOnPage(api: ApiPage, name: string): string | undefined {
  for (const t of api.tables ?? []) for (const r of t.rows) if (r.name === name && r.since) return r.since;
  return undefined;
}

function widgetOf(
  page: string,
  api: ApiPage,
  extras: ExtrasPage | undefined,
  paramTable: Table | undefined,
): SpecWidget {
  const since = api.since ?? '2.0';
  const rows = paramTable?.rows ?? [];
  const access = api.propertyAccess ?? extras?.propertyAccess;
  // A property the page's property-access table lists is one of the widget's, even where its "Param"
  // table leaves it out (VIEW_CONTAINER's scroll_frame_func, which the page's own example passes).
  const listed = Object.keys(access ?? {}).filter((k) => !rows.some((r) => r.name === k));
  return {
    since,
    page,
    params: Object.fromEntries([
      ...rows.map((r) => [r.name, r.since ?? since]),
      ...listed.map((k) => [k, levelOnPage(api, k) ?? since]),
    ]),
    required: rows.filter(isRequired).map((r) => r.name),
    ...(access ? { access: accessOf(access) } : {}),
    ...(extras?.propOps ? { propOps: extras.propOps } : {}),
    ...(extras?.props ? { props: extras.props } : {}),
  };
}

export function digestSpec(spec: SpecFile, extras: ExtrasFile = { source: '', pages: {} }): SpecDigest {
  const modules: Record<string, Record<string, SpecName>> = {};
  const constants: Record<string, Record<string, SpecName>> = {};
  const widgets: Record<string, SpecWidget> = {};
  const documented: Record<string, Record<string, string>> = {};
  const widgetNames: Record<string, string> = {};
  const propNames: Record<string, string> = {};
  const widgetMethods: Record<string, SpecMethod> = {};
  let gettersetter: SpecMethod = { since: '4.0', page: 'ui/gettersetter' };
  let commonProps: string[] = [];
  const containers: Record<string, Set<string>> = {};
  const methods: Record<string, Record<string, string>> = {};
  const document = (module: string, name: string, page: string): void => {
    (documented[module] ??= {})[name] ??= page;
  };
  for (const [page, api] of Object.entries(spec.apis)) {
    const since = api.since ?? '2.0';
    const tables = api.tables ?? [];
    const more = extras.pages[page];
    for (const [module, names] of Object.entries(more?.imports ?? {}))
      for (const name of names) document(module, name, page);
    for (const name of more?.widgets ?? []) widgetNames[name] ??= page;
    for (const [container, children] of Object.entries(more?.containers ?? {}))
      for (const child of children) (containers[container] ??= new Set()).add(child);
    for (const [type, names] of Object.entries(more?.methods ?? {}))
      for (const name of names) (methods[type] ??= {})[name] ??= page;
    for (const name of more?.props ?? []) propNames[name] ??= page;
    for (const t of tables)
      for (const r of t.rows) {
        const prop = /^prop\.([A-Z][A-Z0-9_]*)$/.exec(r.name)?.[1];
        if (prop) propNames[prop] ??= page;
      }
    if (page.startsWith('ui/widget/')) {
      const name = page.slice('ui/widget/'.length);
      widgetNames[name] ??= page;
      const params = tables.find((t) => /param: object$/i.test(t.section));
      widgets[name] = widgetOf(page, api, more, params);
      // RADIO_GROUP and CHECKBOX_GROUP document the STATE_BUTTON their options are made of.
      const stateButton = tables.find((t) => t.section === 'StateButton: object');
      if (stateButton && !widgets.STATE_BUTTON)
        widgets.STATE_BUTTON = { ...widgetOf(page, { ...api, propertyAccess: {} }, undefined, stateButton) };
      continue;
    }
    if (page === 'ui/setProperty') {
      commonProps = (tables.find((t) => t.section === 'PropertyId')?.rows ?? []).map((r) => r.name);
    }
    if (page === 'ui/gettersetter') {
      gettersetter = { since, page };
      continue;
    }
    if (page.startsWith('ui/') && (api.title.startsWith('widget.') || NODE_METHOD_PAGES.includes(page))) {
      const method = nameOfTitle(api.title);
      if (method) widgetMethods[method] = { since, page };
      continue;
    }
    const module = api.module;
    const name = nameOfTitle(api.title);
    if (!module || !name) continue;
    document(module, name, page);
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
        if (CONSTANT.test(r.name)) {
          (constants[module] ??= {})[r.name] ??= { since: r.since ?? since, page };
          document(module, r.name, page);
        }
      }
    }
  }
  // ui/widget/GRADIENT_POLYLINE's own examples create it as widget.GRADKIENT_POLYLINE (so spelled).
  if (widgets.GRADIENT_POLYLINE) widgets.GRADKIENT_POLYLINE = widgets.GRADIENT_POLYLINE;
  for (const [container, children] of Object.entries(containers)) {
    const kept = widgets[container];
    if (kept) widgets[container] = { ...kept, children: [...children].sort() };
  }
  for (const [type, names] of Object.entries(methods)) {
    const kept = widgets[type];
    // The layout guide's node methods are every widget's (spec `widgetMethods`), not one page's.
    const own = Object.fromEntries(Object.entries(names).filter(([n]) => !widgetMethods[n]));
    if (kept && Object.keys(own).length) widgets[type] = { ...kept, methods: own };
  }
  return {
    source: spec.source,
    modules,
    constants,
    widgets,
    commonProps,
    documented,
    widgetNames,
    propNames,
    widgetMethods,
    gettersetter,
    layout: { ...LAYOUT, widgets: [...LAYOUT.widgets], keys: [...LAYOUT.keys] },
  };
}

let cached: SpecDigest | undefined;
export function loadSpec(): SpecDigest {
  cached ??= digestSpec(
    JSON.parse(readFileSync(FILE, 'utf8')) as SpecFile,
    JSON.parse(readFileSync(EXTRAS, 'utf8')) as ExtrasFile,
  );
  return cached;
}
