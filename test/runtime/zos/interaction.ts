/**
 * `@zos/interaction`, host side: which keys a watch sends and whether it has a crown, and the dialog a
 * page shows with `createModal`.
 */
import type { HostHandlers, HostOpsOf, Json } from '../ops';
import type { World } from '../world';

export type Key = 'SELECT' | 'BACK' | 'UP' | 'DOWN' | 'HOME' | 'SHORTCUT';
export type KeyEvent = 'CLICK' | 'LONG_PRESS' | 'DOUBLE_CLICK' | 'PRESS' | 'RELEASE';
export type Gesture = 'LEFT' | 'RIGHT' | 'UP' | 'DOWN';

/**
 * The keys a watch with that many buttons sends, and whether one of them is a crown: zeppos-docs
 * reference/related-resources/physical-keys.mdx (commit c08725b). One button: HOME, a crown. Two: HOME
 * (the crown, upper) and SHORTCUT (lower). Four: UP, DOWN, SELECT, BACK, no crown. Three and five are
 * not documented (Cheetah (Square); Balance 3, Balance Ultra): read harshly, any of the six keys may
 * come (a test may press each, and the app must cope with whichever a button sends) and there is no
 * crown (the app must not need one).
 */
const KEYS_BY_BUTTONS: Record<number, { keys: readonly Key[]; crown: boolean }> = {
  1: { keys: ['HOME'], crown: true },
  2: { keys: ['HOME', 'SHORTCUT'], crown: true },
  4: { keys: ['UP', 'DOWN', 'SELECT', 'BACK'], crown: false },
};
const UNDOCUMENTED_BUTTONS = {
  keys: ['SELECT', 'BACK', 'UP', 'DOWN', 'HOME', 'SHORTCUT'] as readonly Key[],
  crown: false,
};

export function keysOf(buttons: number): { keys: readonly Key[]; crown: boolean } {
  return KEYS_BY_BUTTONS[buttons] ?? UNDOCUMENTED_BUTTONS;
}

/** The dialog `createModal` shows, while it is shown: its plain fields. */
export class Modal {
  shown: Readonly<Record<string, Json>> | undefined;

  constructor(private readonly world: World) {}

  show(fields: Record<string, Json>): void {
    this.shown = { ...fields, show: true };
    this.world.event('modal', `shown: ${String(fields.content ?? fields.title)}`);
  }

  hide(): void {
    this.shown = undefined;
    this.world.event('modal', 'hidden');
  }

  /** The page that showed it is gone (or the app): the dialog goes with it. */
  close(): void {
    this.shown = undefined;
  }
}

export function modalOps(modal: Modal): HostHandlers<HostOpsOf<'modal'>> {
  return {
    'modal.show': ({ fields }) => modal.show(fields),
    'modal.hide': () => modal.hide(),
  };
}
