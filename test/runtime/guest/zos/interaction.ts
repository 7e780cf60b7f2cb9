/** `@zos/interaction`: keys, gestures and the crown (one handler of each), and createModal. */
import type { GuestHandlers } from '../../ops';
import { callApp, guardModule, host, refuse, requireLevel, type Fn, type Json, type Obj } from '../bridge';

export const KEYS: Obj = {
  KEY_BACK: 8,
  KEY_SELECT: 13,
  KEY_HOME: 36,
  KEY_UP: 38,
  KEY_DOWN: 40,
  KEY_SHORTCUT: 48,
};
const KEY_EVENTS: Obj = {
  KEY_EVENT_CLICK: 1,
  KEY_EVENT_LONG_PRESS: 2,
  KEY_EVENT_DOUBLE_CLICK: 3,
  KEY_EVENT_PRESS: 4,
  KEY_EVENT_RELEASE: 5,
};
const GESTURES: Obj = { GESTURE_UP: 1, GESTURE_DOWN: 2, GESTURE_LEFT: 3, GESTURE_RIGHT: 4 };
const MODAL: Obj = { MODAL_CONFIRM: 1, MODAL_CANCEL: 2 };

const input: { key?: Fn; gesture?: Fn; crown?: Fn; modal?: { onClick?: Fn; autoHide: boolean } } = {};
const callbackOf = (arg: unknown): Fn | undefined =>
  typeof arg === 'function' ? (arg as Fn) : ((arg as Obj | null)?.callback as Fn | undefined);

function register(kind: 'key' | 'gesture' | 'crown', arg: unknown, api: string): void {
  const cb = callbackOf(arg);
  if (!cb) refuse(`@zos/interaction ${api} needs a callback`, 'no callback', `interaction/${api}`);
  // interaction/onKey: "only one event is allowed to be registered, if multiple registrations will cause
  // the last registered event to fail"; a second one is a bug on the watch.
  if (input[kind])
    refuse(
      `@zos/interaction ${api} registered twice without off${api.slice(2)} (typings: only one is allowed)`,
      `${api} registered twice`,
      `interaction/${api}`,
    );
  input[kind] = cb;
}

/** The option fields createModal takes from API 3.6 on (typings). */
const MODAL_FIELDS_3_6 = [
  'title',
  'subtitle',
  'src',
  'text',
  'textColor',
  'textAlpha',
  'okButton',
  'cancelButton',
  'capsuleButton',
];

export const interactionModule = (): Obj =>
  guardModule('@zos/interaction', {
    ...KEYS,
    ...KEY_EVENTS,
    ...GESTURES,
    ...MODAL,
    onKey: (arg: unknown) => register('key', arg, 'onKey'),
    offKey: () => void (input.key = undefined),
    onGesture: (arg: unknown) => register('gesture', arg, 'onGesture'),
    offGesture: () => void (input.gesture = undefined),
    onDigitalCrown: (arg: unknown) => register('crown', arg, 'onDigitalCrown'),
    offDigitalCrown: () => void (input.crown = undefined),
    createModal: (option: unknown) => {
      const o = (option ?? {}) as Obj;
      for (const k of MODAL_FIELDS_3_6) {
        if (k in o) requireLevel('@zos/interaction', 'createModal', undefined, '3.6', `option ${k}`);
      }
      if (typeof o.content !== 'string' && typeof o.title !== 'string')
        refuse('@zos/interaction createModal needs content', 'no content', 'interaction/createModal');
      const fields: Record<string, Json> = {};
      for (const [k, v] of Object.entries(o))
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') fields[k] = v;
      input.modal = { onClick: o.onClick as Fn | undefined, autoHide: o.autoHide !== false };
      const show = (on: unknown) => (on ? host('modal.show', { fields }) : host('modal.hide'));
      show(o.show !== false);
      return { show };
    },
  });

/** The page is gone: its handlers and its dialog with it. */
export function clearInput(): void {
  input.key = input.gesture = input.crown = undefined;
  input.modal = undefined;
}

/** Host → watch: the user's keys, gestures, crown and modal answers. */
export const interactionOps: GuestHandlers<'input.key' | 'input.gesture' | 'input.crown' | 'modal.click'> = {
  'input.key': (p) => {
    if (!input.key) return { handled: false, suppressed: false };
    const r = callApp(
      'onKey callback',
      input.key,
      undefined,
      KEYS[`KEY_${p.key}`],
      KEY_EVENTS[`KEY_EVENT_${p.event}`],
    );
    return { handled: true, suppressed: r === true };
  },
  'input.gesture': (p) => {
    if (!input.gesture) return { handled: false, suppressed: false };
    const r = callApp('onGesture callback', input.gesture, undefined, GESTURES[`GESTURE_${p.dir}`]);
    return { handled: true, suppressed: r === true };
  },
  'input.crown': (p) => {
    if (!input.crown) return { handled: false };
    callApp('onDigitalCrown callback', input.crown, undefined, KEYS.KEY_HOME, p.degree);
    return { handled: true };
  },
  'modal.click': (p) => {
    const m = input.modal;
    if (!m) return { handled: false };
    if (m.autoHide) host('modal.hide');
    callApp('createModal onClick', m.onClick, undefined, { type: MODAL[`MODAL_${p.button}`] });
    return { handled: true };
  },
};
