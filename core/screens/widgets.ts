import type { Box, Layout, Ring } from './layout';

/**
 * What a screen shows, as plain data: views in core return these, and one small renderer in page/
 * turns them into `@zos/ui` widgets. Tests read them directly; the shell never decides what to show.
 * `Msg` is the screen's own message type: a button carries the message its program receives when it is
 * tapped, typed, never a string to parse back.
 */
export type Widget<Msg = unknown> =
  | {
      readonly type: 'text';
      readonly id: string;
      readonly box: Box;
      readonly text: string;
      readonly size: number;
      readonly color: number;
      /** Long instructions wrap inside their box instead of running off a round edge. */
      readonly wrap?: boolean;
    }
  | {
      readonly type: 'button';
      readonly id: string;
      readonly box: Box;
      readonly text: string;
      readonly size: number;
      readonly color: number;
      readonly background: number;
      readonly pressed: number;
      /** The message the screen's program receives when the button is tapped. */
      readonly msg: Msg;
    }
  | {
      readonly type: 'arc';
      readonly id: string;
      readonly ring: Ring;
      /** Degrees, clockwise, 0 at twelve o'clock (the renderer converts to the platform's origin). */
      readonly from: number;
      readonly to: number;
      readonly color: number;
    }
  | {
      readonly type: 'circle';
      readonly id: string;
      readonly cx: number;
      readonly cy: number;
      readonly radius: number;
      readonly color: number;
    };

export type View<Msg = unknown> = readonly Widget<Msg>[];

/** The palette: high contrast on OLED black, one accent, a dim track for what is still to come. */
export const COLOR = {
  background: 0x000000,
  text: 0xffffff,
  muted: 0x9aa5a8,
  accent: 0x3fb8af,
  accentPressed: 0x2a7f79,
  track: 0x1f3536,
  // Dark enough that white text on the breathing circle stays readable.
  inhale: 0x2a6f80,
  exhale: 0x1d4257,
  warning: 0xffb454,
  buttonBackground: 0x1c2b2c,
  buttonPressed: 0x2d4446,
} as const;

/** A button in the app's two styles: primary (the one thing to do next) or secondary. */
export function styledButton<Msg>(
  id: string,
  msg: Msg,
  text: string,
  box: Box,
  size: number,
  primary: boolean,
): Widget<Msg> {
  return {
    type: 'button',
    id,
    box,
    text,
    size,
    color: primary ? COLOR.background : COLOR.text,
    background: primary ? COLOR.accent : COLOR.buttonBackground,
    pressed: primary ? COLOR.accentPressed : COLOR.buttonPressed,
    msg,
  };
}

/** The app's name at the top, as home and the resume page open with it. */
export const appTitle = (layout: Layout, name: string): Widget<never> => ({
  type: 'text',
  id: 'title',
  box: layout.rowAt(0.2, layout.font.title * 1.3),
  text: name,
  size: layout.font.title,
  color: COLOR.text,
});
