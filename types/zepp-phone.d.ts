// The phone side (Side Service, Settings App) is not in @zeppos/device-types: the few globals we use.

declare function AppSideService(options: object): void;

interface SettingsStorage {
  getItem(key: string): string | null | undefined;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  clear(): void;
  addListener(event: 'change', cb: (e: { key: string; newValue: string; oldValue: string }) => void): void;
}
declare const settings: { settingsStorage: SettingsStorage };

interface SettingsProps {
  settingsStorage: SettingsStorage;
  settingsInfo?: unknown;
}
type SettingsNode = unknown;
declare function AppSettingsPage(options: {
  state?: object;
  build(props: SettingsProps): SettingsNode;
}): void;
declare function Section(props: object, children?: SettingsNode | SettingsNode[]): SettingsNode;
declare function View(props: object, children?: SettingsNode | SettingsNode[] | string): SettingsNode;
declare function Text(props: object, children?: string | string[]): SettingsNode;
declare function Button(props: object): SettingsNode;
declare function TextInput(props: object): SettingsNode;
declare function Select(props: object): SettingsNode;
declare function Toggle(props: object): SettingsNode;
declare function Slider(props: object): SettingsNode;
/** reference/app-settings-api/ui/auth.mdx: OAuth sign-in; what onAccessToken receives is not specified. */
declare function Auth(props: {
  title?: string;
  label?: string;
  description?: string;
  authorizeUrl?: string;
  requestTokenUrl?: string;
  clientId?: string;
  clientSecret?: string;
  scope?: string;
  pkce?: boolean;
  onAccessToken?: (token: unknown) => void;
  onReturn?: (code: unknown) => void;
}): SettingsNode;

/**
 * The Side Service's fetch (reference/side-service-api/fetch.mdx): a URL, or an object with only url,
 * method, headers and body; `res.body` is an object on some phones and a JSON string on others. Not on
 * the watch.
 */
declare function fetch(
  request:
    string | { url: string; method?: string; headers?: Readonly<Record<string, string>>; body?: string },
): Promise<{ status?: unknown; body?: unknown }>;

/** The Settings App's catalogue (setting/i18n/<lang>.po); zpm's i18n plugin provides the module. */
declare module 'i18n' {
  export function gettext(key: string): string;
}
