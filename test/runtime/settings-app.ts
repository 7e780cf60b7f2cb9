/**
 * The Settings App as the Zepp phone app runs it: the built `setting.js` in its own QuickJS context,
 * `build(props)` run at open and again after every settingsStorage change, its tree of components kept
 * for a test to read, and the user's clicks and committed text inputs sent back to the handlers.
 */
import type { GuestConfig } from './guest-config';
import { dispatch, type HostHandlers, type HostOpsOf, type Json, type SettingsNode } from './ops';
import { GuestVM } from './vm';
import type { World } from './world';
import { authorizationCodeFlow, type AuthProps, type AuthResult, type UserAgent } from './auth';

export type { SettingsNode };

export interface SettingsHost {
  readonly world: World;
  readonly config: GuestConfig;
  /** settingsStorage operations, written by the Settings App. */
  readonly storage: HostHandlers<HostOpsOf<'settings'>>;
  settle(): void;
}

export class SettingsApp {
  private vm: GuestVM | undefined;
  private root: SettingsNode | undefined;
  builds = 0;

  constructor(
    private readonly host: SettingsHost,
    private readonly js: string,
  ) {}

  open(): this {
    const w = this.host.world;
    const handlers: HostHandlers<'log' | 'fail' | HostOpsOf<'settings'>> = {
      log: ({ level, text }) => w.log('side', level, `[settings] ${text}`),
      fail: ({ message, finding }) => w.fail(`settings app: ${message}`, finding),
      ...this.host.storage,
    };
    this.vm = new GuestVM(w.qjs, 'settings app', this.host.config, {
      now: () => w.clock.now(),
      fail: (m) => w.fail(`settings app: ${m}`),
      host: (op, p) =>
        dispatch(handlers, op, p, () => w.fail(`settings app: double bug: unknown host op ${op}`)),
    });
    const error = this.vm.evalScript(this.js, 'setting.js');
    if (error) w.fail(`setting.js did not run in QuickJS: ${error}`);
    const loaded = this.vm.call('settings.loaded');
    if (loaded && !loaded.called) w.fail('setting.js did not call AppSettingsPage()');
    this.build();
    w.event('phone', 'settings app opened');
    return this;
  }

  get isOpen(): boolean {
    return this.vm !== undefined;
  }

  close(): void {
    this.vm?.dispose();
    this.vm = undefined;
    this.root = undefined;
  }

  /** The docs: "executing the build lifecycle function to re-render the view whenever the data in SettingsStorage changes". */
  build(): void {
    if (!this.vm) return;
    this.root = this.vm.call('settings.build') ?? undefined;
    this.builds++;
  }

  tree(): SettingsNode {
    if (!this.root) throw new Error('the settings app is not open (or its build failed)');
    return this.root;
  }

  /** Every text the page shows, in order: Text contents, labels, titles and descriptions, input values. */
  texts(): string[] {
    const out: string[] = [];
    const walk = (n: SettingsNode | string): void => {
      if (typeof n === 'string') return void out.push(n);
      for (const key of ['title', 'description', 'label', 'value'] as const) {
        const v = n.props[key];
        if (typeof v === 'string' && v !== '') out.push(v);
      }
      n.children.forEach(walk);
    };
    walk(this.tree());
    return out;
  }

  /** Components of a type whose label (or title) matches. */
  find(type: string, label: string | RegExp): SettingsNode[] {
    const out: SettingsNode[] = [];
    const walk = (n: SettingsNode | string): void => {
      if (typeof n === 'string') return;
      const text = String(n.props.label ?? n.props.title ?? '');
      if (n.type === type && (typeof label === 'string' ? text === label : label.test(text))) out.push(n);
      n.children.forEach(walk);
    };
    walk(this.tree());
    return out;
  }

  /** The labels of the page's buttons, in order. */
  buttons(): string[] {
    const out: string[] = [];
    const walk = (n: SettingsNode | string): void => {
      if (typeof n === 'string') return;
      if (n.type === 'Button') out.push(String(n.props.label ?? ''));
      n.children.forEach(walk);
    };
    walk(this.tree());
    return out;
  }

  /** The user types into a text input and confirms: its onChange gets the whole text. */
  input(label: string | RegExp, text: string): this {
    return this.act('TextInput', label, 'onChange', text);
  }

  click(label: string | RegExp): this {
    return this.act('Button', label, 'onClick');
  }

  /**
   * The patient taps the `Auth` component labelled `label` and signs in with `userAgent` (their
   * browser at the clinic's sign-in page): the Zepp app's part as runtime/auth.ts models it, then
   * `onReturn` with the code and, if the token endpoint answered 200, `onAccessToken` with its JSON.
   */
  async signIn(label: string | RegExp, userAgent: UserAgent): Promise<AuthResult> {
    const [node, ...more] = this.find('Auth', label);
    if (!node || more.length > 0)
      throw new Error(`settings app: ${more.length + (node ? 1 : 0)} Auth labelled ${String(label)}`);
    const p = node.props;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const props: AuthProps = {
      authorizeUrl: str(p.authorizeUrl) ?? '',
      requestTokenUrl: str(p.requestTokenUrl) ?? '',
      clientId: str(p.clientId) ?? '',
      ...(str(p.clientSecret) ? { clientSecret: str(p.clientSecret)! } : {}),
      ...(str(p.scope) ? { scope: str(p.scope)! } : {}),
      pkce: p.pkce === true,
    };
    const result = await authorizationCodeFlow(props, userAgent);
    // The tree may have been built again meanwhile: the node is found again by its label.
    const call = (name: string, json: Json) => {
      const [now] = this.find('Auth', label);
      if (now?.handlers.includes(name)) this.vm?.call('settings.event', { id: now.id, name, json });
    };
    call('onReturn', result.code);
    if (result.status === 200) call('onAccessToken', result.token as Json);
    this.host.settle();
    return result;
  }

  private act(type: string, label: string | RegExp, handler: string, value?: string): this {
    const matches = this.find(type, label);
    if (matches.length !== 1)
      throw new Error(
        `settings app: ${matches.length} ${type} labelled ${String(label)}; texts: ${this.texts().slice(0, 12).join(' | ')}`,
      );
    const node = matches[0]!;
    if (!node.handlers.includes(handler))
      throw new Error(`settings app: ${type} ${String(label)} has no ${handler}`);
    this.vm!.call('settings.event', {
      id: node.id,
      name: handler,
      ...(value === undefined ? {} : { value }),
    });
    this.host.settle();
    return this;
  }
}
