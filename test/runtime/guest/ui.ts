/**
 * `@zos/ui`: the widgets the app draws (TEXT, BUTTON, ARC, CIRCLE), created, updated with setProperty
 * and deleted. Constants take the names the typings declare (IHmUIWidgetType, IHmUIPropertyType,
 * IHmUIAlign, IHmUIWrapTextStyle); their numbers are the double's own. Any other widget kind, and any
 * widget method the app does not call, fails loudly by name.
 *
 * Held to the official reference (config.spec, from test/runtime/data/platform-spec.json): a widget
 * takes only the parameters its page lists ("Param: object"), each from its API level, with the
 * required ones present; setProperty/getProperty touch only what its property-access table allows,
 * for prop.MORE key by key. Where a page is silent on a property, the double refuses it.
 */
import type { RawWidget } from '../ops';
import { callApp, config, fail, guardModule, requireApi, type Obj } from './bridge';

const MODULE = '@zos/ui';
const ui = config.typings.ui;
const codes = (names: readonly string[], base: number): Obj =>
  Object.fromEntries(names.map((n, i) => [n, base + i]));

export const widgetCodes = codes(ui.widgetTypes, 1);
export const propCodes = codes(ui.props, 1);
const widgetName = new Map(Object.entries(widgetCodes).map(([k, v]) => [v as number, k]));
const propName = new Map(Object.entries(propCodes).map(([k, v]) => [v as number, k]));

const IMPLEMENTED = new Set(['TEXT', 'BUTTON', 'ARC', 'CIRCLE']);
const PROBES = new Set(['then', 'toJSON', 'constructor', 'valueOf', 'toString']);

export interface WidgetRecord {
  id: number;
  type: string;
  props: Obj;
  deleted: boolean;
  handle: Obj;
}

const widgets = new Map<number, WidgetRecord>();
let nextId = 0;

/**
 * Property writes, for bench/footprint.ts: every value the app passes to createWidget or setProperty
 * (callbacks aside), and how many of them changed what the screen showed. A widget deleted and drawn
 * anew within one call from the system (a timer, a tap) is the same widget drawn again: its new values
 * are compared with the deleted one's (the oldest deleted widget of its type). Any other new widget
 * changes the screen by every value it carries.
 */
const writes: Record<string, { written: number; changed: number }> = {};
let writer = 'app';
let dropped: WidgetRecord[] = [];

/** Writes from now on are the page's (its route), until the next page. */
export function writesBelongTo(route: string): void {
  writer = route;
}

/** A new call from the system begins: widgets deleted before it are gone for good. */
export function newFrame(): void {
  dropped = [];
}

/** Per page (route): property values written, and how many changed the screen. */
export function widgetWrites(): Record<string, { written: number; changed: number }> {
  return Object.fromEntries(Object.entries(writes).map(([page, count]) => [page, { ...count }]));
}

function countWrites(values: Obj, before: Obj | undefined): void {
  const count = (writes[writer] ??= { written: 0, changed: 0 });
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'function') continue;
    count.written++;
    if (!before || !(key in before) || before[key] !== value) count.changed++;
  }
}

function propKey(code: unknown): string {
  const name = typeof code === 'number' ? propName.get(code) : undefined;
  if (!name)
    return fail(
      `${MODULE} setProperty/getProperty: unknown prop code ${String(code)} (use the prop constants)`,
    );
  return name.toLowerCase();
}

const docOf = (type: string) => config.spec.widgets[type];

/** The widget's own page, as the reference gives it; a widget without one cannot be checked, so it fails. */
function widgetDoc(type: string) {
  const doc = docOf(type);
  if (!doc)
    return fail(`${MODULE} widget.${type} has no page in the official reference (platform-spec.json)`);
  return doc;
}

function checkParams(type: string, options: Obj): void {
  const doc = widgetDoc(type);
  requireApi(doc.since, `${MODULE} widget.${type}`, `Zepp docs ${doc.page}`);
  for (const key of Object.keys(options)) {
    const since = doc.params[key];
    if (since === undefined)
      fail(
        `${MODULE} createWidget(widget.${type}): parameter "${key}" is not listed on ${doc.page} (it lists ${Object.keys(doc.params).join(', ')})`,
      );
    requireApi(since, `${MODULE} widget.${type} parameter "${key}"`, `Zepp docs ${doc.page}`);
  }
  const missingRequired = doc.required.filter((k) => !(k in options));
  if (missingRequired.length)
    fail(`${MODULE} createWidget(widget.${type}): ${doc.page} requires ${missingRequired.join(', ')}`);
}

/**
 * May `setProperty`/`getProperty` touch `key` of this widget? Its property-access table decides; x, y,
 * w, h are listed for every widget on ui/setProperty. A key neither lists is refused (docs silent).
 */
function checkAccess(rec: WidgetRecord, key: string, op: 'set' | 'get', how: string): void {
  const doc = widgetDoc(rec.type);
  const row = doc.access?.[key];
  const common = config.spec.commonProps.includes(key);
  if (row ? row[op] : common) return;
  fail(
    row
      ? `${MODULE} ${how} on ${rec.type}: "${key}" is not ${op === 'set' ? 'settable' : 'readable'} by ${op}Property (${doc.page} property table says N${op === 'set' ? '; recreate the widget' : ''})`
      : `${MODULE} ${how} on ${rec.type}: "${key}" is not in ${doc.page}'s property table nor on ui/setProperty`,
  );
}

function create(type: unknown, options: unknown): Obj {
  const name = typeof type === 'number' ? widgetName.get(type) : undefined;
  if (!name)
    return fail(`${MODULE} createWidget: unknown widget type ${String(type)} (use the widget constants)`);
  if (!IMPLEMENTED.has(name)) {
    return fail(
      `not implemented by the runtime double: ${MODULE} widget.${name} (implemented: ${[...IMPLEMENTED].join(', ')})`,
    );
  }
  if (typeof options !== 'object' || options === null)
    return fail(`${MODULE} createWidget(widget.${name}) needs an options object`);
  checkParams(name, options as Obj);
  const redrawn = dropped.findIndex((d) => d.type === name);
  countWrites(options as Obj, redrawn < 0 ? undefined : dropped.splice(redrawn, 1)[0]!.props);
  const rec: WidgetRecord = {
    id: ++nextId,
    type: name,
    props: { ...(options as Obj) },
    deleted: false,
    handle: {},
  };
  rec.handle = makeHandle(rec);
  widgets.set(rec.id, rec);
  return rec.handle;
}

function alive(rec: WidgetRecord, what: string): void {
  if (rec.deleted) fail(`${MODULE} ${what} on widget #${rec.id} (${rec.type}) after deleteWidget`);
}

function setMore(rec: WidgetRecord, value: unknown): void {
  if (typeof value !== 'object' || value === null)
    fail(`${MODULE} setProperty(prop.MORE, ...) needs an object`);
  const v = value as Obj;
  // Zepp notes (docs): VISIBLE has its own setProperty; it cannot go through prop.MORE.
  if ('visible' in v)
    fail(
      `${MODULE} setProperty(prop.MORE, { visible }) is ignored on the watch: use setProperty(prop.VISIBLE, bool)`,
    );
  for (const key of Object.keys(v)) checkAccess(rec, key, 'set', 'setProperty(prop.MORE, ...)');
  // BUTTON.mdx: "When using setProperty to modify BUTTON properties, you need to pass in x, y, w, h".
  if (rec.type === 'BUTTON' && !['x', 'y', 'w', 'h'].every((k) => k in v)) {
    fail(
      `${MODULE} setProperty(prop.MORE, ...) on a BUTTON must pass x, y, w and h (BUTTON docs); got ${Object.keys(v).join(', ')}`,
    );
  }
  countWrites(v, rec.props);
  Object.assign(rec.props, v);
}

function makeHandle(rec: WidgetRecord): Obj {
  const target: Obj = {
    __id: rec.id,
    setProperty(code: unknown, value: unknown): boolean {
      alive(rec, 'setProperty');
      if (code === propCodes.MORE) setMore(rec, value);
      else {
        const key = propKey(code);
        checkAccess(
          rec,
          key === 'visible' ? 'VISIBLE' : key,
          'set',
          `setProperty(prop.${key.toUpperCase()})`,
        );
        countWrites({ [key]: value }, rec.props);
        rec.props[key] = value;
      }
      return true;
    },
    getProperty(code: unknown): unknown {
      alive(rec, 'getProperty');
      const key = propKey(code);
      checkAccess(rec, key, 'get', `getProperty(prop.${key.toUpperCase()})`);
      return rec.props[key];
    },
  };
  return new Proxy(target, {
    get(t, p) {
      if (typeof p !== 'string' || p in t || PROBES.has(p)) return Reflect.get(t, p);
      return fail(
        `not implemented by the runtime double: ${MODULE} widget method or property "${p}" (on ${rec.type} #${rec.id})`,
      );
    },
  });
}

function deleteWidget(handle: unknown): boolean {
  const id = (handle as Obj | null)?.__id;
  const rec = typeof id === 'number' ? widgets.get(id) : undefined;
  if (!rec) return fail(`${MODULE} deleteWidget: not a widget`);
  rec.deleted = true;
  widgets.delete(rec.id);
  dropped.push(rec);
  return true;
}

export function clearWidgets(): void {
  widgets.clear();
}

type Plain = RawWidget['props'][string];
const plain = (v: unknown): v is Plain =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** What is on screen, for the host: every live widget with its JSON-safe props. */
export function snapshot(): RawWidget[] {
  return [...widgets.values()].map((w) => {
    const props: RawWidget['props'] = {};
    for (const [k, v] of Object.entries(w.props)) if (plain(v)) props[k] = v;
    return { id: w.id, type: w.type, props, click: typeof w.props.click_func === 'function' };
  });
}

/** A tap as the system delivers it to a BUTTON: its click_func, with the widget. */
export function tap(id: number): boolean {
  const rec = widgets.get(id);
  const func = rec?.props.click_func;
  if (!rec || typeof func !== 'function') return false;
  callApp(`${rec.type} #${id} click_func`, func, rec.handle, rec.handle);
  return true;
}

export function uiModule(): Obj {
  return guardModule(
    MODULE,
    {
      createWidget: (type: unknown, options: unknown) => create(type, options),
      deleteWidget,
      widget: guardConstants('widget', widgetCodes),
      prop: guardConstants('prop', propCodes),
      align: guardConstants('align', codes(ui.align, 0)),
      text_style: guardConstants('text_style', codes(ui.textStyle, 0)),
    },
    // Zepp docs (newAPI/ui: deleteWidget.mdx), absent from device-types 4.0.0.
    ['deleteWidget'],
  );
}

function guardConstants(group: string, values: Obj): Obj {
  return new Proxy(values, {
    get(t, p) {
      if (typeof p !== 'string' || p in t || PROBES.has(p)) return Reflect.get(t, p);
      return fail(
        `${MODULE} ${group}.${p} is not declared in @zeppos/device-types ${config.typings.version}`,
      );
    },
  });
}
