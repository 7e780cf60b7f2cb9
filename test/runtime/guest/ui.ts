/**
 * `@zos/ui`: widgets as data. Every widget the reference has a page for can be created, with the
 * parameters its page lists, and changed and read as its property-access table allows; nothing is drawn
 * (no fonts, no measuring, no layout), and only a BUTTON's `click_func` takes a tap. Constants take the
 * names the typings declare and the reference documents (`widget.STATE_BUTTON`, `prop.UPDATE_DATA`); their
 * numbers are the double's own.
 *
 * Held to the official reference (config.spec: test/runtime/spec.ts):
 * - createWidget: the widget's page level; each parameter listed on its page ("Param: object",
 *   "radioGroupParam: object"...) and at its level; the required ones present. From API_LEVEL 4.0 the Flex
 *   layout's `layout` and `parent` (guides/framework/device/layout.md) on the widgets the guide lists; a
 *   widget placed by `layout` needs no x, y, w, h (the guide's own examples give none).
 * - A container's `createWidget` (GROUP, VIEW_CONTAINER, RADIO_GROUP, CHECKBOX_GROUP: their pages'
 *   examples), children placed relative to it; "GROUP components cannot be nested" (ui/widget/GROUP).
 * - setProperty / getProperty: what the widget's property-access table allows (x, y, w, h, VISIBLE and
 *   DATASET for every widget: ui/setProperty), for prop.MORE key by key, each at its parameter's level;
 *   a `prop.X` the page's prop table lists (RADIO_GROUP prop.CHECKED) is named, not modelled.
 * - From API_LEVEL 4.0 (ui/gettersetter), `widget.x = ...` and `widget.x`: what the table's setter and
 *   getter columns allow; below 4.0, or for a property the table marks N or does not list, refused.
 * - The documented widget methods (ui/setAlpha, ui/addEventListener...) at their level: the layout
 *   node methods are modelled (they only keep the tree), the others fail by name.
 * Where a page is silent, the double refuses.
 */
import {
  callApp,
  config,
  fail,
  guardModule,
  host,
  notModelled,
  refuse,
  requireApi,
  type Obj,
} from './bridge';
import type { RawWidget } from '../ops';
import type { SpecWidget } from '../spec';

const MODULE = '@zos/ui';
const ui = config.typings.ui;
const spec = config.spec;
const codes = (names: readonly string[], base: number): Record<string, number> =>
  Object.fromEntries([...new Set(names)].map((n, i) => [n, base + i]));

/** Widget and prop constants: the typings' names and every one the reference documents. */
export const widgetCodes = codes([...ui.widgetTypes, ...Object.keys(spec.widgetNames)], 1);
export const propCodes = codes([...ui.props, ...Object.keys(spec.propNames)], 1);
const widgetName = new Map(Object.entries(widgetCodes).map(([k, v]) => [v, k]));
const propName = new Map(Object.entries(propCodes).map(([k, v]) => [v, k]));

const PROBES = new Set(['then', 'toJSON', 'constructor', 'valueOf', 'toString']);
/** Containers whose children are placed relative to them (ui/widget/GROUP: "relative positions"). */
const RELATIVE = new Set(['GROUP', 'VIEW_CONTAINER', 'RADIO_GROUP', 'CHECKBOX_GROUP']);
/** The Flex layout's node methods (guides/framework/device/layout.md): modelled as the tree they keep. */
const NODE_METHODS = new Set(['setLayoutParent', 'addLayoutChild', 'removeLayoutChild', 'updateLayoutStyle']);

export interface WidgetRecord {
  id: number;
  type: string;
  props: Obj;
  deleted: boolean;
  handle: Obj;
  /** The container it was created on (its position is relative to it), if any. */
  container: WidgetRecord | undefined;
  /** Its parent in the Flex layout tree (`parent`, setLayoutParent, addLayoutChild), if any. */
  layoutParent: WidgetRecord | undefined;
}

const widgets = new Map<number, WidgetRecord>();
let nextId = 0;
/** What the page asked of the status bar (ui/setStatusBarVisible, ui/updateStatusBarTitle). */
const statusBar: { visible: boolean; title: string | undefined } = { visible: true, title: undefined };

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

function propNameOf(code: unknown): string {
  const name = typeof code === 'number' ? propName.get(code) : undefined;
  if (!name)
    return fail(
      `${MODULE} setProperty/getProperty: unknown prop code ${String(code)} (use the prop constants)`,
    );
  return name;
}

/** The widget's own page, as the reference gives it; a documented name without a page is not modelled. */
function widgetDoc(type: string): SpecWidget {
  const doc = spec.widgets[type];
  if (!doc)
    return notModelled(
      `not implemented by the runtime double: ${MODULE} widget.${type} (named on ${spec.widgetNames[type] ?? 'no page'}, which documents no parameters for it)`,
      `${MODULE} widget.${type}`,
    );
  return doc;
}

/** `layout` and `parent`: API_LEVEL 4.0, on the widgets the layout guide lists. */
function checkLayoutParam(type: string, key: 'layout' | 'parent', value: unknown): void {
  const { layout } = spec;
  requireApi(layout.since, `${MODULE} widget.${type} parameter "${key}"`, { page: layout.page });
  if (!layout.widgets.includes(type))
    refuse(
      `${MODULE} createWidget(widget.${type}): "${key}" is for the widgets ${layout.page} lists under "Widget Support" (${layout.widgets.join(', ')})`,
      `"${key}" on a widget the Flex layout guide does not list`,
      layout.page,
    );
  if (key === 'parent') {
    if (!recordOf(value))
      refuse(
        `${MODULE} createWidget(widget.${type}): "parent" must be a widget (${layout.page})`,
        '"parent" that is not a widget',
        layout.page,
      );
    return;
  }
  if (typeof value !== 'object' || value === null)
    return refuse(
      `${MODULE} createWidget(widget.${type}): "layout" must be an object of layout properties (${layout.page})`,
      '"layout" that is not an object',
      layout.page,
    );
  for (const k of Object.keys(value))
    if (!layout.keys.includes(k))
      refuse(
        `${MODULE} createWidget(widget.${type}): layout property "${k}" is not in ${layout.page}'s "Configuration Options"`,
        `layout property "${k}" not listed`,
        layout.page,
      );
}

function checkParams(type: string, options: Obj): void {
  const doc = widgetDoc(type);
  requireApi(doc.since, `${MODULE} widget.${type}`, { page: doc.page });
  for (const [key, value] of Object.entries(options)) {
    if (key === 'layout' || key === 'parent') {
      checkLayoutParam(type, key, value);
      continue;
    }
    const since = doc.params[key];
    if (since === undefined)
      refuse(
        `${MODULE} createWidget(widget.${type}): parameter "${key}" is not listed on ${doc.page} (it lists ${Object.keys(doc.params).join(', ')})`,
        `parameter "${key}" not listed`,
        doc.page,
      );
    requireApi(since, `${MODULE} widget.${type} parameter "${key}"`, { page: doc.page });
  }
  // A widget the Flex layout places takes its box from `layout`: the guide's examples give it no x, y, w, h.
  const placed = 'layout' in options;
  const missingRequired = doc.required.filter(
    (k) => !(k in options) && !(placed && ['x', 'y', 'w', 'h'].includes(k)),
  );
  if (missingRequired.length)
    refuse(
      `${MODULE} createWidget(widget.${type}): ${doc.page} requires ${missingRequired.join(', ')}`,
      `required ${missingRequired.join(', ')} missing`,
      doc.page,
    );
}

/** A parameter set after creation is held to its parameter's level too (BUTTON `font` is 3.6). */
function requireParamLevel(rec: WidgetRecord, key: string, how: string): void {
  const doc = widgetDoc(rec.type);
  requireApi(doc.params[key], `${MODULE} ${how} on ${rec.type}: "${key}"`, { page: doc.page });
}

/**
 * May `setProperty`/`getProperty` touch `key` of this widget? Its property-access table decides; x, y,
 * w, h are listed for every widget on ui/setProperty. A key neither lists is refused (docs silent).
 */
function checkAccess(rec: WidgetRecord, key: string, op: 'set' | 'get', how: string): void {
  const doc = widgetDoc(rec.type);
  const row = doc.access?.[key];
  const common = spec.commonProps.includes(key);
  if (row ? row[op] : common) return;
  if (row)
    refuse(
      `${MODULE} ${how} on ${rec.type}: "${key}" is not ${op === 'set' ? 'settable' : 'readable'} by ${op}Property (${doc.page} property table says N${op === 'set' ? '; recreate the widget' : ''})`,
      `${op}Property of "${key}", which the property table marks N`,
      doc.page,
    );
  refuse(
    `${MODULE} ${how} on ${rec.type}: "${key}" is not in ${doc.page}'s property table nor on ui/setProperty`,
    `${op}Property of "${key}", which neither the property table nor ui/setProperty lists`,
    doc.page,
  );
}

/**
 * A `prop.X` the widget's page gives a get/set column for, or names beyond its property-access table
 * (SCROLL_LIST's examples set prop.UPDATE_DATA): documented behaviour the double does not model.
 */
function propOperation(rec: WidgetRecord, name: string, op: 'set' | 'get'): boolean {
  const doc = widgetDoc(rec.type);
  const row = doc.propOps?.[name];
  const key = name === 'VISIBLE' ? 'VISIBLE' : name.toLowerCase();
  const tabled = doc.access?.[key] !== undefined || spec.commonProps.includes(key);
  if (!row && !tabled && name !== 'MORE' && doc.props?.includes(name))
    return notModelled(
      `not implemented by the runtime double: ${MODULE} ${rec.type} ${op}Property(prop.${name}) (named on ${doc.page})`,
      `${MODULE} ${rec.type} ${op}Property(prop.${name})`,
    );
  if (!row) return false;
  if (!row[op])
    refuse(
      `${MODULE} ${op}Property(prop.${name}) on ${rec.type}: its prop table allows ${row.set ? 'set' : ''}${row.set && row.get ? '/' : ''}${row.get ? 'get' : ''} only (${doc.page})`,
      `${op}Property(prop.${name}), which the prop table does not allow`,
      doc.page,
    );
  return notModelled(
    `not implemented by the runtime double: ${MODULE} ${rec.type} ${op}Property(prop.${name}) (${doc.page})`,
    `${MODULE} ${rec.type} ${op}Property(prop.${name})`,
  );
}

function recordOf(handle: unknown): WidgetRecord | undefined {
  const id = (handle as Obj | null)?.__id;
  return typeof id === 'number' ? widgets.get(id) : undefined;
}

function create(type: unknown, options: unknown, container?: WidgetRecord): Obj {
  const name = typeof type === 'number' ? widgetName.get(type) : undefined;
  if (!name)
    return fail(`${MODULE} createWidget: unknown widget type ${String(type)} (use the widget constants)`);
  widgetDoc(name);
  if (options === undefined || options === null) options = {};
  if (typeof options !== 'object')
    return fail(`${MODULE} createWidget(widget.${name}) needs an options object`);
  const o = options as Obj;
  if (container) {
    const cdoc = widgetDoc(container.type);
    const children = cdoc.children ?? [];
    if (container.type === 'GROUP' && name === 'GROUP')
      refuse(
        `${MODULE} GROUP.createWidget(widget.GROUP): "GROUP components cannot be nested" (ui/widget/GROUP)`,
        'a GROUP in a GROUP',
        'ui/widget/GROUP',
      );
    if (!children.includes('*') && !children.includes(name))
      refuse(
        `${MODULE} ${container.type}.createWidget(widget.${name}): ${cdoc.page} creates ${children.join(', ')} on it`,
        `widget.${name} created on a ${container.type}`,
        cdoc.page,
      );
  }
  checkParams(name, o);
  // ui/widget/IMG: `src` is an image of the package; the page does not say what a missing one shows,
  // so the double refuses it (the harsher reading).
  if (name === 'IMG' && typeof o.src === 'string' && !host('ui.asset', { path: o.src }))
    refuse(
      `${MODULE} createWidget(widget.IMG): src "${o.src}" is no file of the package's assets (harsher reading: the page does not say what a missing image shows)`,
      'an IMG whose src is no packaged file (harsher reading)',
      'ui/widget/IMG',
    );
  const redrawn = dropped.findIndex((d) => d.type === name);
  countWrites(o, redrawn < 0 ? undefined : dropped.splice(redrawn, 1)[0]!.props);
  const rec: WidgetRecord = {
    id: ++nextId,
    type: name,
    props: { ...o },
    deleted: false,
    handle: {},
    container,
    layoutParent: recordOf(o.parent),
  };
  delete rec.props.parent;
  rec.handle = makeHandle(rec);
  widgets.set(rec.id, rec);
  return rec.handle;
}

function alive(rec: WidgetRecord, what: string): void {
  if (rec.deleted) fail(`${MODULE} ${what} on widget #${rec.id} (${rec.type}) after deleteWidget`);
}

/**
 * Keys a widget's own page passes to `setProperty(prop.MORE, ...)` in its code examples, for a widget
 * whose page has no property-access table: documented as settable by that example. ui/widget/IMG's
 * second example sets x, y, w, h, pos_x, pos_y, center_x, src and angle on an IMG.
 */
const EXAMPLE_MORE: { readonly [type: string]: readonly string[] } = {
  IMG: ['x', 'y', 'w', 'h', 'pos_x', 'pos_y', 'center_x', 'src', 'angle'],
};

function setMore(rec: WidgetRecord, value: unknown): void {
  if (typeof value !== 'object' || value === null)
    fail(`${MODULE} setProperty(prop.MORE, ...) needs an object`);
  const v = value as Obj;
  // Zepp notes (docs): VISIBLE has its own setProperty; it cannot go through prop.MORE.
  if ('visible' in v)
    refuse(
      `${MODULE} setProperty(prop.MORE, { visible }) is ignored on the watch: use setProperty(prop.VISIBLE, bool)`,
      'visible through prop.MORE',
      'ui/setProperty',
    );
  for (const key of Object.keys(v)) {
    if (!EXAMPLE_MORE[rec.type]?.includes(key)) checkAccess(rec, key, 'set', 'setProperty(prop.MORE, ...)');
    requireParamLevel(rec, key, 'setProperty(prop.MORE, ...)');
  }
  // As at creation: a src the package lacks is refused (the page is silent on what it would show).
  if (rec.type === 'IMG' && typeof v.src === 'string' && !host('ui.asset', { path: v.src }))
    refuse(
      `${MODULE} IMG setProperty(prop.MORE, { src }): src "${v.src}" is no file of the package's assets (harsher reading: the page does not say what a missing image shows)`,
      'an IMG whose src is no packaged file (harsher reading)',
      'ui/widget/IMG',
    );
  // BUTTON.mdx: "When using setProperty to modify BUTTON properties, you need to pass in x, y, w, h".
  if (rec.type === 'BUTTON' && !['x', 'y', 'w', 'h'].every((k) => k in v)) {
    refuse(
      `${MODULE} setProperty(prop.MORE, ...) on a BUTTON must pass x, y, w and h (BUTTON docs); got ${Object.keys(v).join(', ')}`,
      'BUTTON setProperty without x, y, w, h',
      'ui/widget/BUTTON',
    );
  }
  countWrites(v, rec.props);
  Object.assign(rec.props, v);
}

/** `widget.x = value` and `widget.x` (ui/gettersetter, API_LEVEL 4.0), as the widget's table allows. */
function accessor(rec: WidgetRecord, doc: SpecWidget, key: string, op: 'setter' | 'getter'): void {
  const gs = spec.gettersetter;
  const what = `${MODULE} ${rec.type} ${op} "${key}"`;
  requireApi(gs.since, what, { page: gs.page });
  const row = doc.access?.[key];
  if (!row)
    refuse(
      `${what}: ${doc.access ? `"${key}" is not in ${doc.page}'s property table` : `${doc.page} has no property table`} (${gs.page}: "refer to the property support table in each widget's documentation")`,
      `${op} of "${key}", which the widget's property table does not list`,
      doc.page,
    );
  if (!row![op])
    refuse(
      `${what}: ${doc.page}'s property table marks its ${op} N`,
      `${op} of "${key}", which the property table marks N`,
      doc.page,
    );
  if (op === 'setter') requireParamLevel(rec, key, 'setter');
}

function nodeMethod(rec: WidgetRecord, name: string): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    alive(rec, name);
    const method = spec.widgetMethods[name]!;
    requireApi(method.since, `${MODULE} widget.${name}`, { page: method.page });
    const other = (i: number): WidgetRecord => {
      const r = recordOf(args[i]);
      if (!r) return fail(`${MODULE} widget.${name}: argument ${i + 1} is not a widget (${method.page})`);
      return r;
    };
    if (name === 'setLayoutParent') rec.layoutParent = other(0);
    else if (name === 'addLayoutChild') other(0).layoutParent = rec;
    else if (name === 'removeLayoutChild') {
      const child = other(0);
      if (child.layoutParent === rec) child.layoutParent = undefined;
    } else if (name === 'updateLayoutStyle') {
      if (typeof args[0] !== 'object' || args[0] === null)
        fail(`${MODULE} widget.updateLayoutStyle needs an object of layout properties (${method.page})`);
      checkLayoutParam(rec.type, 'layout', args[0]);
      rec.props.layout = { ...((rec.props.layout as Obj | undefined) ?? {}), ...(args[0] as Obj) };
    }
    return undefined;
  };
}

/** Where a widget's handle keeps its record, for the prototype and the one handler all handles share. */
const REC = Symbol('widget');
const recOfHandle = (h: object): WidgetRecord => Reflect.get(h, REC) as WidgetRecord;

function setPropertyOf(rec: WidgetRecord, code: unknown, value: unknown): boolean {
  alive(rec, 'setProperty');
  if (code === propCodes.MORE) {
    setMore(rec, value);
    return true;
  }
  const name = propNameOf(code);
  if (propOperation(rec, name, 'set')) return true;
  const key = name === 'VISIBLE' ? 'VISIBLE' : name.toLowerCase();
  checkAccess(rec, key, 'set', `setProperty(prop.${name})`);
  if (key !== 'VISIBLE') requireParamLevel(rec, key, `setProperty(prop.${name})`);
  const stored = key === 'VISIBLE' ? 'visible' : key;
  countWrites({ [stored]: value }, rec.props);
  rec.props[stored] = value;
  return true;
}

function getPropertyOf(rec: WidgetRecord, code: unknown): unknown {
  alive(rec, 'getProperty');
  const name = propNameOf(code);
  if (propOperation(rec, name, 'get')) return undefined;
  const key = name.toLowerCase();
  checkAccess(rec, key, 'get', `getProperty(prop.${name})`);
  return rec.props[key];
}

/**
 * What every widget handle shares: its two methods, and the handler that gives the rest. A widget's own
 * closures would sit on the app's heap, which bench/footprint.ts measures; so would methods made for
 * each widget beyond these, which are made when read.
 */
const HANDLE_PROTO = {
  setProperty(this: object, code: unknown, value: unknown): boolean {
    return setPropertyOf(recOfHandle(this), code, value);
  },
  getProperty(this: object, code: unknown): unknown {
    return getPropertyOf(recOfHandle(this), code);
  },
};

const HANDLE_HANDLER: ProxyHandler<Obj> = {
  get(t, p) {
    if (typeof p !== 'string' || p in t || PROBES.has(p)) return Reflect.get(t, p);
    const rec = recOfHandle(t);
    const doc = widgetDoc(rec.type);
    if (p === 'createWidget' && doc.children?.length)
      return (type: unknown, options: unknown) => {
        alive(rec, 'createWidget');
        return create(type, options, rec);
      };
    if (NODE_METHODS.has(p) && spec.widgetMethods[p]) return nodeMethod(rec, p);
    const own = doc.methods?.[p];
    if (own)
      return notModelled(
        `not implemented by the runtime double: ${MODULE} ${rec.type}.${p} (${own})`,
        `${MODULE} ${rec.type}.${p}`,
      );
    const method = spec.widgetMethods[p];
    if (method) {
      requireApi(method.since, `${MODULE} widget.${p}`, { page: method.page });
      return notModelled(
        `not implemented by the runtime double: ${MODULE} widget method "${p}" (on ${rec.type} #${rec.id}; ${method.page})`,
        `${MODULE} widget.${p}`,
      );
    }
    alive(rec, `getter "${p}"`);
    accessor(rec, doc, p, 'getter');
    return rec.props[p];
  },
  set(t, p, value) {
    const rec = recOfHandle(t);
    if (typeof p !== 'string' || p in t || NODE_METHODS.has(p) || p === 'createWidget')
      return refuse(
        `${MODULE} ${rec.type}: "${String(p)}" is a method of the widget, not a property`,
        'assignment to a widget method',
        'ui/gettersetter',
      );
    alive(rec, `setter "${p}"`);
    accessor(rec, widgetDoc(rec.type), p, 'setter');
    countWrites({ [p]: value }, rec.props);
    rec.props[p] = value;
    return true;
  },
};

function makeHandle(rec: WidgetRecord): Obj {
  const target = Object.create(HANDLE_PROTO) as Obj;
  target.__id = rec.id;
  Reflect.set(target, REC, rec);
  return new Proxy(target, HANDLE_HANDLER);
}

function deleteWidget(handle: unknown): boolean {
  const rec = recordOf(handle);
  if (!rec) return fail(`${MODULE} deleteWidget: not a widget`);
  const gone = [rec, ...[...widgets.values()].filter((w) => w.container === rec)];
  for (const w of gone) {
    w.deleted = true;
    widgets.delete(w.id);
  }
  dropped.push(rec);
  return true;
}

export function clearWidgets(): void {
  widgets.clear();
  statusBar.visible = true;
  statusBar.title = undefined;
}

type Plain = RawWidget['props'][string];
const plain = (v: unknown): v is Plain =>
  v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Where a widget is on screen: its own x, y plus its containers'. */
function origin(rec: WidgetRecord): { x: number; y: number; visible: boolean } {
  let x = 0;
  let y = 0;
  let visible = true;
  for (let c = rec.container; c; c = c.container) {
    if (RELATIVE.has(c.type)) {
      x += typeof c.props.x === 'number' ? c.props.x : 0;
      y += typeof c.props.y === 'number' ? c.props.y : 0;
    }
    if (c.props.visible === false) visible = false;
  }
  return { x, y, visible };
}

/** What is on screen, for the host: every live widget with its JSON-safe props, placed on the screen. */
export function snapshot(): RawWidget[] {
  return [...widgets.values()].map((w) => {
    const props: RawWidget['props'] = {};
    for (const [k, v] of Object.entries(w.props)) if (plain(v)) props[k] = v;
    const at = origin(w);
    if (typeof props.x === 'number') props.x += at.x;
    if (typeof props.y === 'number') props.y += at.y;
    if (!at.visible) props.visible = false;
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
  return guardModule(MODULE, {
    createWidget: (type: unknown, options: unknown) => create(type, options),
    deleteWidget,
    // Nothing is drawn: the status bar is what the page asked of it.
    setStatusBarVisible: (visible: unknown) => {
      statusBar.visible = visible !== false;
    },
    updateStatusBarTitle: (title: unknown) => {
      statusBar.title = String(title);
    },
    // The Flex layout is not computed: the tree is kept, and there is nothing to render again.
    updateLayout: () => undefined,
    widget: guardConstants('widget', widgetCodes),
    prop: guardConstants('prop', propCodes),
    align: guardConstants('align', codes(ui.align, 0)),
    text_style: guardConstants('text_style', codes(ui.textStyle, 0)),
    event: guardConstants('event', codes(ui.event, 1)),
  });
}

function guardConstants(group: string, values: Record<string, number>): Obj {
  return new Proxy(values, {
    get(t, p) {
      if (typeof p !== 'string' || p in t || PROBES.has(p)) return Reflect.get(t, p);
      return refuse(
        `${MODULE} ${group}.${p} is not declared in @zeppos/device-types ${config.typings.version} nor documented in the reference`,
        `${group}.${p} is not a name of ${MODULE}`,
        group === 'widget' ? 'ui/widget/' : 'ui/',
      );
    },
  });
}
