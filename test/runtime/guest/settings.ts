/**
 * The phone's Settings App context: `AppSettingsPage`, the UI components the app uses, `settingsStorage`
 * and the i18n helpers the builder's output calls (`HmUtils.gettextFactory`, `HmUtils.Lang`,
 * `HmUtils.getLanguage(userSettings)`, seen in zpm 3.4.1's setting.js).
 *
 * Held to the Settings App reference (zeppos-docs reference/app-settings-api): `build(props)` is the only
 * lifecycle and re-runs whenever settingsStorage changes; each component takes the props its page lists
 * and no other; children are render functions (a Text's may also be its text). The documented
 * components the app does not use fail by name.
 */
import type { GuestHandlers, SettingsGuestOp, SettingsNode } from '../ops';
import { callApp, config, fail, host, notModelled, refuse, toJsonFields, type Fn, type Obj } from './bridge';
import { settingsStorageApi, state } from './base';

const g = globalThis as unknown as Obj;

/** Each used component's documented props (reference/app-settings-api/ui/<name>.mdx). */
const PROPS: Record<string, readonly string[]> = {
  View: ['style', 'onClick'],
  Text: ['style', 'align', 'bold', 'italic', 'paragraph'],
  Section: ['style', 'title', 'description'],
  Button: ['color', 'style', 'label', 'onClick'],
  TextInput: [
    'label',
    'disabled',
    'multiline',
    'placeholder',
    'rows',
    'bold',
    'value',
    'onChange',
    'settingsKey',
    'labelStyle',
    'subStyle',
  ],
  Auth: [
    'title',
    'label',
    'description',
    'authorizeUrl',
    'requestTokenUrl',
    'clientId',
    'clientSecret',
    'scope',
    'pkce',
    'onAccessToken',
    'onReturn',
  ],
};
/** Documented, and not used by the app: they fail by name. */
const UNUSED = ['Toggle', 'Select', 'Slider', 'Image', 'Link', 'TextImageRow', 'Toast'];
const CONTAINERS = new Set(['View', 'Text', 'Section']);

interface Node {
  readonly __node: true;
  readonly type: string;
  readonly props: Obj;
  readonly children: readonly (Node | string)[];
}

const page: { options?: Obj } = {};
/** The handlers of the tree last built, by node id, for the host to call. */
let handlers = new Map<number, Record<string, Fn>>();

function component(type: string) {
  return (props?: unknown, children?: unknown): Node => {
    const p = (props ?? {}) as Obj;
    if (typeof p !== 'object' || Array.isArray(p))
      fail(`Settings App ${type}(props): props must be an object`);
    for (const key of Object.keys(p)) {
      if (!PROPS[type]!.includes(key))
        refuse(
          `Settings App ${type}: prop "${key}" is not in its reference (${PROPS[type]!.join(', ')})`,
          `${type} prop "${key}" not listed`,
          `reference/app-settings-api/ui/${type.toLowerCase()}.mdx`,
        );
    }
    const list = children === undefined ? [] : Array.isArray(children) ? children : [children];
    const page = `reference/app-settings-api/ui/${type.toLowerCase()}.mdx`;
    const childRule = (message: string, rule: string): never =>
      refuse(`Settings App ${type}: ${message} (${page}: RenderFunc | Array<RenderFunc>)`, rule, page);
    if (list.length > 0 && !CONTAINERS.has(type)) childRule('takes no children', `children of a ${type}`);
    const kept = list.filter((c) => c !== false && c !== null && c !== undefined);
    for (const c of kept) {
      const isText = typeof c === 'string' || typeof c === 'number';
      if (isText && type !== 'Text')
        childRule('a child must be a component, got text', `text as a child of a ${type}`);
      if (!isText && !(c as Node).__node)
        childRule(
          `a child is not a component${Array.isArray(c) ? ' (an array inside the children array)' : ''}`,
          `a child of a ${type} that is not a component`,
        );
    }
    return {
      __node: true,
      type,
      props: p,
      children: kept.map((c) => (typeof c === 'number' ? String(c) : (c as Node | string))),
    };
  };
}

/** The tree as JSON for the host, handlers left behind under the node's id. */
function serialise(node: Node, ids: { next: number }): SettingsNode {
  const id = ids.next++;
  const props: Obj = {};
  const fns: Record<string, Fn> = {};
  for (const [k, v] of Object.entries(node.props)) {
    if (typeof v === 'function') fns[k] = v as Fn;
    else props[k] = v;
  }
  if (Object.keys(fns).length > 0) handlers.set(id, fns);
  return {
    id,
    type: node.type,
    props: toJsonFields(props),
    handlers: Object.keys(fns),
    children: node.children.map((c) => (typeof c === 'string' ? c : serialise(c, ids))),
  };
}

export function installSettings(): void {
  const settingsStorage = settingsStorageApi();
  g.settings = { settingsStorage };
  for (const name of Object.keys(PROPS)) g[name] = component(name);
  for (const name of UNUSED)
    g[name] = () =>
      notModelled(
        `not implemented by the runtime double: Settings App component ${name}`,
        `Settings App component ${name}`,
      );
  g.userSettings = { lang: config.language };
  class Lang {
    constructor(readonly lang: string) {}
  }
  g.HmUtils = {
    Lang,
    getLanguage: (settings: unknown) => (settings as { lang?: string } | null)?.lang ?? 'en-US',
    gettextFactory: (table: unknown, lang: unknown, fallback: unknown) => {
      const t = table as Record<string, Record<string, string>>;
      const current = (lang as { lang?: string } | null)?.lang ?? String(fallback);
      const messages = t[current] ?? t[String(fallback)] ?? {};
      return (key: unknown) => {
        const text = messages[String(key)];
        if (text === undefined)
          host('log', { level: 'warn', text: `gettext: no "${String(key)}" in ${current}` });
        return text ?? String(key);
      };
    },
  };
  g.AppSettingsPage = (options: unknown) => {
    if (page.options) fail('AppSettingsPage() called twice');
    if (typeof (options as Obj | null)?.build !== 'function')
      fail('AppSettingsPage needs a build(props) function');
    page.options = options as Obj;
  };
  state.loadingScript = true;
}

export const settingsOps: GuestHandlers<SettingsGuestOp> = {
  'settings.loaded': () => {
    state.loadingScript = false;
    return { called: Boolean(page.options) };
  },
  /** Runs build(props) and returns the tree it rendered. */
  'settings.build': () => {
    if (!page.options) return fail('setting.js did not call AppSettingsPage()');
    const props = { settingsStorage: (g.settings as Obj).settingsStorage };
    const tree = callApp('AppSettingsPage build', page.options.build, page.options, props) as unknown;
    if (!tree || !(tree as Node).__node) return fail('AppSettingsPage build() must return a component');
    handlers = new Map();
    return serialise(tree as Node, { next: 1 });
  },
  /** The user acts on a component of the last tree: a click, or a committed text input. */
  'settings.event': ({ id, name, value, json }) => {
    const fn = handlers.get(id)?.[name];
    if (!fn) return fail(`Settings App: node #${id} has no ${name} handler`);
    const args = json !== undefined ? [json] : value === undefined ? [] : [value];
    callApp(`Settings App ${name}`, fn, undefined, ...args);
  },
};
