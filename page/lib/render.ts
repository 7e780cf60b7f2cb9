import { createWidget, deleteWidget, prop, widget, align, text_style } from '@zos/ui';
import type { View, Widget } from '../../core/screens/widgets';

type Handle = { setProperty(p: number, v: unknown): void };
type Options = Record<string, unknown>;

/** The platform's ARC measures angles from three o'clock; our views measure from twelve. */
const PLATFORM_ANGLE_OFFSET = -90;

function options(w: Widget, onTap: () => void): [number, Options] {
  switch (w.type) {
    case 'text':
    case 'button': {
      const label = { ...w.box, text: w.text, text_size: w.size, color: w.color };
      return w.type === 'text'
        ? [
            widget.TEXT as unknown as number,
            {
              ...label,
              align_h: align.CENTER_H,
              align_v: align.CENTER_V,
              text_style: w.wrap ? text_style.WRAP : text_style.NONE,
            },
          ]
        : [
            widget.BUTTON as unknown as number,
            {
              ...label,
              normal_color: w.background,
              press_color: w.pressed,
              radius: Math.round(w.box.h / 2),
              click_func: onTap,
            },
          ];
    }
    case 'arc':
      return [
        widget.ARC as unknown as number,
        {
          x: w.ring.cx - w.ring.rx,
          y: w.ring.cy - w.ring.ry,
          w: w.ring.rx * 2,
          h: w.ring.ry * 2,
          radius: Math.min(w.ring.rx, w.ring.ry),
          start_angle: w.from + PLATFORM_ANGLE_OFFSET,
          end_angle: w.to + PLATFORM_ANGLE_OFFSET,
          color: w.color,
          line_width: w.ring.lineWidth,
        },
      ];
    case 'circle':
      return [
        widget.CIRCLE as unknown as number,
        { center_x: w.cx, center_y: w.cy, radius: w.radius, color: w.color },
      ];
  }
}

/**
 * What `setProperty(prop.MORE, ...)` may change on each widget: the rows its reference page's
 * property-access table marks settable (ui/widget/TEXT, BUTTON, ARC, CIRCLE). BUTTON's colours are
 * not among them on any API level, nor ARC's radius: a change to those draws a new widget.
 */
const SETTABLE: { readonly [T in Widget['type']]: readonly string[] } = {
  text: ['x', 'y', 'w', 'h', 'text', 'text_size', 'color', 'align_h', 'align_v', 'text_style'],
  button: ['x', 'y', 'w', 'h', 'text', 'text_size', 'color', 'radius'],
  arc: ['x', 'y', 'w', 'h', 'start_angle', 'end_angle', 'line_width', 'color'],
  circle: ['center_x', 'center_y', 'radius', 'color'],
};
/** BUTTON's page: "When using setProperty to modify BUTTON properties, you need to pass in x, y, w, h". */
const ALWAYS_SENT: { readonly [T in Widget['type']]?: readonly string[] } = { button: ['x', 'y', 'w', 'h'] };

/** The options that differ, or null when one of them cannot be set in place. */
function update(type: Widget['type'], next: Options, prev: Options): Options | null {
  const changed = Object.keys(next).filter((k) => k !== 'click_func' && next[k] !== prev[k]);
  if (!changed.every((k) => SETTABLE[type].includes(k))) return null;
  if (!changed.length) return {};
  const out: Options = {};
  for (const k of [...(ALWAYS_SENT[type] ?? []), ...changed]) out[k] = next[k];
  return out;
}

/**
 * Draws views: creates each widget once, updates in place what its property table lets change,
 * draws anew what it does not, deletes what a view no longer has. A widget drawn anew lies on top of
 * everything: the later widgets of the view that it may cover (core/screens/stacking `overlaps`) are
 * drawn anew above it, so the stacking order stays the view's where it shows, and nothing else is
 * written. Keeps the page files to layout-free wiring.
 */
export interface Renderer<Msg> {
  render(view: View<Msg>): void;
  clear(): void;
}

/**
 * `covers(a, b)`: whether `a` drawn anew may cover `b` (core/screens/stacking: `overlaps`, exact, or
 * `boxesMeet`, every widget as its box, for a view that never draws a widget anew under an arc). When
 * in doubt the answer must be yes.
 */
export function createRenderer<Msg>(
  onTap: (msg: Msg) => void,
  covers: (a: Widget, b: Widget) => boolean,
): Renderer<Msg> {
  const drawn = new Map<string, { type: number; opts: Options; handle: Handle }>();
  // A tap looks up the button's message in the latest view: a re-render never leaves a stale closure.
  const messages = new Map<string, Msg>();
  return {
    render(view) {
      const seen = new Set<string>();
      // Drawn anew in this pass, so on top of everything drawn before.
      const fresh: Widget[] = [];
      for (const w of view) {
        seen.add(w.id);
        if (w.type === 'button') messages.set(w.id, w.msg);
        const id = w.id;
        const [type, opts] = options(w, () => {
          if (messages.has(id)) onTap(messages.get(id) as Msg);
        });
        const old = drawn.get(w.id);
        const buried = fresh.some((f) => covers(f, w));
        const patch = old && old.type === type && !buried ? update(w.type, opts, old.opts) : null;
        if (old && patch) {
          if (Object.keys(patch).length) {
            old.handle.setProperty(prop.MORE as unknown as number, patch);
            old.opts = opts;
          }
          continue;
        }
        if (old) deleteWidget(old.handle as never);
        const handle = (createWidget as unknown as (t: number, o: Options) => Handle)(type, opts);
        drawn.set(w.id, { type, opts, handle });
        fresh.push(w);
      }
      for (const [id, old] of drawn) {
        if (!seen.has(id)) {
          deleteWidget(old.handle as never);
          drawn.delete(id);
          messages.delete(id);
        }
      }
    },
    clear() {
      for (const old of drawn.values()) deleteWidget(old.handle as never);
      drawn.clear();
    },
  };
}
