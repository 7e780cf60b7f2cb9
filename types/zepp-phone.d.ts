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

/** The Settings App's catalogue (setting/i18n/<lang>.po); zpm's i18n plugin provides the module. */
declare module 'i18n' {
  export function gettext(key: string): string;
}
