export {
  bootWatch,
  Watch,
  type BootOptions,
  type Vibration,
  type DisplayState,
  type Alarm,
  type Key,
  type KeyEvent,
  type Gesture,
  type PendingRequest,
  type RequestOutcome,
} from './watch';
export { Phone, type PhoneStorage } from './phone';
export { SettingsApp, type SettingsNode } from './settings-app';
export type { Screen, WidgetView } from './screen';
export type { Traffic } from './link';
export {
  DoubleFailure,
  fmtT,
  type TimelineEvent,
  type LogLine,
  type FailureRecord,
  type Finding,
} from './world';
export { devices, findDevice, watchPackage, loadZab, defaultZabPath } from './package';
export { loadTypings } from './typings';
