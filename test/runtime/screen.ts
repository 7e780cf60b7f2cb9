/** The host's view of the widget tree: absolute boxes, visibility, texts, hit-testing for taps. */

import type { RawWidget } from './ops';

export type { RawWidget };

export interface WidgetView {
  readonly id: number;
  readonly type: string;
  /** Box on the screen. */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly text: string | undefined;
  readonly visible: boolean;
  /** Takes taps: a BUTTON with a click_func. */
  readonly tappable: boolean;
  readonly props: Readonly<Record<string, string | number | boolean | null>>;
}

export interface Screen {
  readonly page: string | undefined;
  readonly on: boolean;
  readonly width: number;
  readonly height: number;
  readonly shape: 'round' | 'square';
  /** Visible widgets, in creation (drawing) order. */
  readonly widgets: readonly WidgetView[];
  /** Visible texts of TEXT and BUTTON widgets, top to bottom, left to right. */
  readonly texts: readonly string[];
  readonly buttons: readonly WidgetView[];
  readonly arcs: readonly WidgetView[];
  /** Visible widgets whose box leaves the screen rectangle. */
  readonly offscreen: readonly WidgetView[];
  readonly modal: Readonly<Record<string, unknown>> | undefined;
}

const num = (v: unknown, d = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);

export function buildScreen(
  raw: readonly RawWidget[],
  base: Omit<Screen, 'widgets' | 'texts' | 'buttons' | 'arcs' | 'offscreen'>,
): Screen {
  const all = raw.map((w): WidgetView => {
    let {
      x,
      y,
      w: width,
      h,
    } = { x: num(w.props.x), y: num(w.props.y), w: num(w.props.w), h: num(w.props.h) };
    if (w.type === 'CIRCLE') {
      const r = num(w.props.radius);
      x = num(w.props.center_x) - r;
      y = num(w.props.center_y) - r;
      width = h = 2 * r;
    }
    const text =
      typeof w.props.text === 'string' || typeof w.props.text === 'number' ? String(w.props.text) : undefined;
    return {
      id: w.id,
      type: w.type,
      x,
      y,
      w: width,
      h,
      text,
      visible: w.props.visible !== false && w.props.alpha !== 0,
      tappable: w.click,
      props: w.props,
    };
  });
  const widgets = all.filter((w) => w.visible);
  const reading = [...widgets].filter(
    (w) => w.text !== undefined && (w.type === 'TEXT' || w.type === 'BUTTON'),
  );
  reading.sort((a, b) => a.y - b.y || a.x - b.x);
  return {
    ...base,
    widgets,
    texts: reading.map((w) => w.text!),
    buttons: widgets.filter((w) => w.type === 'BUTTON'),
    arcs: widgets.filter((w) => w.type === 'ARC'),
    offscreen: widgets.filter((w) => w.x < 0 || w.y < 0 || w.x + w.w > base.width || w.y + w.h > base.height),
  };
}

/** The widget a finger on `target` lands on: the target itself if it takes taps, else the topmost tappable widget under its centre. */
export function hitTarget(
  screen: Screen,
  target: string | RegExp | number,
): { widget: WidgetView; x: number; y: number } {
  const matches = screen.widgets.filter((w) =>
    typeof target === 'number'
      ? w.id === target
      : typeof target === 'string'
        ? w.text?.trim() === target
        : w.text !== undefined && target.test(w.text),
  );
  const visible = screen.texts.map((t) => JSON.stringify(t)).join(', ') || '(no text)';
  if (matches.length === 0)
    throw new Error(
      `tap(${String(target)}): nothing like it on screen ${screen.page ?? ''}; visible texts: ${visible}`,
    );
  const direct = matches.filter((w) => w.tappable);
  if (direct.length > 1)
    throw new Error(
      `tap(${String(target)}): ${direct.length} tappable widgets match; use an id (${direct.map((w) => w.id).join(', ')})`,
    );
  const chosen = direct[0] ?? matches[matches.length - 1]!;
  const x = chosen.x + chosen.w / 2;
  const y = chosen.y + chosen.h / 2;
  if (chosen.tappable) return { widget: chosen, x, y };
  const under = screen.widgets.filter(
    (w) => w.tappable && x >= w.x && x <= w.x + w.w && y >= w.y && y <= w.y + w.h,
  );
  const top = under[under.length - 1];
  if (!top)
    throw new Error(
      `tap(${String(target)}): ${chosen.type} #${chosen.id} takes no taps and nothing tappable lies under it`,
    );
  return { widget: top, x, y };
}
