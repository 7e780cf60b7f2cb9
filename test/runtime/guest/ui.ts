/**
 * `@zos/ui`: a widget tree. Constants take the names the typings declare (IHmUIWidgetType,
 * IHmUIPropertyType, IHmUIAlign, IHmUIEventType, IHmUIWrapTextStyle); their numbers are the double's own.
 * Widget kinds beyond IMPLEMENTED fail loudly by name at createWidget.
 */
import { callApp, config, fail, guardModule, type Fn, type Json, type Obj } from './bridge';

const MODULE = '@zos/ui';
const ui = config.typings.ui;
const codes = (names: readonly string[], base: number): Obj =>
  Object.fromEntries(names.map((n, i) => [n, base + i]));

export const widgetCodes = codes(ui.widgetTypes, 1);
export const propCodes = codes(ui.props, 1);
export const eventCodes = codes(ui.event, 1);
const widgetName = new Map(Object.entries(widgetCodes).map(([k, v]) => [v as number, k]));
const propName = new Map(Object.entries(propCodes).map(([k, v]) => [v as number, k]));
const eventName = new Map(Object.entries(eventCodes).map(([k, v]) => [v as number, k]));

const IMPLEMENTED = new Set([
  'TEXT',
  'BUTTON',
  'ARC',
  'CIRCLE',
  'FILL_RECT',
  'STROKE_RECT',
  'IMG',
  'GROUP',
  'VIEW_CONTAINER',
]);
const CONTAINERS = new Set(['GROUP', 'VIEW_CONTAINER']);
/** Properties that are plain accessors on a widget (docs: gettersetter.mdx; typings IHmUIWidget x/y/w/h/visible). */
const ACCESSORS = [
  'x',
  'y',
  'w',
  'h',
  'text',
  'color',
  'start_angle',
  'end_angle',
  'line_width',
  'radius',
  'src',
  'text_size',
  'alpha',
];
const PROBES = new Set(['then', 'toJSON', 'constructor', 'valueOf', 'toString']);

export interface WidgetRecord {
  id: number;
  type: string;
  parent: number | undefined;
  props: Obj;
  listeners: Map<string, Fn[]>;
  enabled: boolean;
  deleted: boolean;
  handle: Obj;
}

const widgets = new Map<number, WidgetRecord>();
let nextId = 0;

function propKey(code: unknown): string {
  const name = typeof code === 'number' ? propName.get(code) : undefined;
  if (!name)
    return fail(
      `${MODULE} setProperty/getProperty: unknown prop code ${String(code)} (use the prop constants)`,
    );
  return name.toLowerCase();
}

function create(type: unknown, options: unknown, parent?: number): Obj {
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
  const props: Obj = { ...(options as Obj) };
  const parentOption = props.parent as Obj | undefined;
  delete props.parent;
  const rec: WidgetRecord = {
    id: ++nextId,
    type: name,
    parent: parent ?? (parentOption ? (parentOption.__id as number | undefined) : undefined),
    props,
    listeners: new Map(),
    enabled: props.enable !== false,
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
  // BUTTON.mdx: "When using setProperty to modify BUTTON properties, you need to pass in x, y, w, h".
  if (rec.type === 'BUTTON' && !['x', 'y', 'w', 'h'].every((k) => k in v)) {
    fail(
      `${MODULE} setProperty(prop.MORE, ...) on a BUTTON must pass x, y, w and h (BUTTON docs); got ${Object.keys(v).join(', ')}`,
    );
  }
  Object.assign(rec.props, v);
}

function makeHandle(rec: WidgetRecord): Obj {
  const target: Obj = {
    __id: rec.id,
    getId: () => rec.id,
    getType: () => widgetCodes[rec.type],
    setProperty(code: unknown, value: unknown): boolean {
      alive(rec, 'setProperty');
      if (code === propCodes.MORE) setMore(rec, value);
      else rec.props[propKey(code)] = value;
      return true;
    },
    getProperty(code: unknown): unknown {
      alive(rec, 'getProperty');
      if (code === propCodes.MORE) return { ...rec.props };
      return rec.props[propKey(code)];
    },
    setProperties(value: unknown): void {
      alive(rec, 'setProperties');
      setMore(rec, value);
    },
    getProperties: (...names: string[]) => Object.fromEntries(names.map((n) => [n, rec.props[n]])),
    addEventListener(code: unknown, fn: unknown): boolean {
      alive(rec, 'addEventListener');
      const name = typeof code === 'number' ? eventName.get(code) : undefined;
      if (!name) fail(`${MODULE} addEventListener: unknown event ${String(code)} (use the event constants)`);
      if (typeof fn !== 'function') fail(`${MODULE} addEventListener(event.${name}) needs a function`);
      rec.listeners.set(name!, [...(rec.listeners.get(name!) ?? []), fn as Fn]);
      return true;
    },
    removeEventListener(code?: unknown, fn?: unknown): boolean {
      const name = typeof code === 'number' ? eventName.get(code) : undefined;
      if (!name) rec.listeners.clear();
      else if (!fn) rec.listeners.delete(name);
      else
        rec.listeners.set(
          name,
          (rec.listeners.get(name) ?? []).filter((f) => f !== fn),
        );
      return true;
    },
    setEnable(on: unknown): void {
      rec.enabled = Boolean(on);
    },
    setAlpha(a: unknown): void {
      rec.props.alpha = a;
    },
    setColor(c: unknown): void {
      rec.props.color = c;
    },
  };
  if (CONTAINERS.has(rec.type))
    target.createWidget = (type: unknown, options: unknown) => create(type, options, rec.id);
  for (const key of ACCESSORS) {
    Object.defineProperty(target, key, {
      get: () => rec.props[key],
      set: (v: unknown) => {
        alive(rec, `set ${key}`);
        rec.props[key] = v;
      },
      enumerable: true,
    });
  }
  Object.defineProperty(target, 'visible', {
    get: () => rec.props.visible !== false,
    set: (v: unknown) => {
      rec.props.visible = Boolean(v);
    },
  });
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
  for (const child of [...widgets.values()]) if (child.parent === rec.id) deleteWidget(child.handle);
  return true;
}

export function clearWidgets(): void {
  widgets.clear();
}

const jsonSafe = (v: unknown): v is Json => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** What is on screen, for the host: every live widget with its JSON-safe props. */
export function snapshot(): Json {
  return [...widgets.values()].map((w) => ({
    id: w.id,
    type: w.type,
    parent: w.parent ?? null,
    props: Object.fromEntries(Object.entries(w.props).filter(([, v]) => jsonSafe(v))) as Json,
    events: [...w.listeners.keys()].filter((k) => (w.listeners.get(k) ?? []).length > 0),
    click: typeof w.props.click_func === 'function',
    longpress: typeof w.props.longpress_func === 'function',
    enabled: w.enabled,
  }));
}

export function tap(id: number, x: number, y: number, long: boolean): boolean {
  const rec = widgets.get(id);
  if (!rec || !rec.enabled) return false;
  const event = (type: string) => ({ x, y, type: eventCodes[type], target: rec.handle });
  let delivered = false;
  for (const type of ['CLICK_DOWN', 'CLICK_UP']) {
    for (const fn of rec.listeners.get(type) ?? []) {
      delivered = true;
      callApp(`${rec.type} #${id} ${type} listener`, fn, rec.handle, event(type));
    }
  }
  const func = long ? rec.props.longpress_func : rec.props.click_func;
  if (typeof func === 'function') {
    delivered = true;
    callApp(`${rec.type} #${id} ${long ? 'longpress_func' : 'click_func'}`, func, rec.handle, rec.handle);
  }
  return delivered;
}

export function uiModule(): Obj {
  return guardModule(
    MODULE,
    {
      createWidget: (type: unknown, options: unknown) => create(type, options),
      deleteWidget,
      widget: guardConstants('widget', widgetCodes),
      prop: guardConstants('prop', propCodes),
      event: guardConstants('event', eventCodes),
      align: guardConstants('align', codes(ui.align, 0)),
      text_style: guardConstants('text_style', codes(ui.textStyle, 0)),
      setStatusBarVisible: () => undefined,
      updateStatusBarTitle: () => undefined,
    },
    // Zepp docs (newAPI/ui: deleteWidget.mdx, updateStatusBarTitle.mdx), absent from device-types 4.0.0.
    ['deleteWidget', 'setStatusBarVisible', 'updateStatusBarTitle'],
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
