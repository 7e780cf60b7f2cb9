import { createWidget, deleteWidget, prop, widget, align, text_style } from '@zos/ui';
import type { View, Widget } from '../../core/screens/widgets';

type Handle = { setProperty(p: number, v: unknown): void };
type Options = Record<string, unknown>;

/** The platform's ARC measures angles from three o'clock; our views measure from twelve. */
const PLATFORM_ANGLE_OFFSET = -90;

function options(w: Widget, onTap: () => void): [number, Options] {
  switch (w.type) {
    case 'text':
      return [
        widget.TEXT as unknown as number,
        {
          ...w.box,
          text: w.text,
          text_size: w.size,
          color: w.color,
          align_h: align.CENTER_H,
          align_v: align.CENTER_V,
          text_style: w.wrap ? text_style.WRAP : text_style.NONE,
        },
      ];
    case 'button':
      return [
        widget.BUTTON as unknown as number,
        {
          ...w.box,
          text: w.text,
          text_size: w.size,
          color: w.color,
          normal_color: w.background,
          press_color: w.pressed,
          radius: Math.round(w.box.h / 2),
          click_func: onTap,
        },
      ];
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

const same = (a: Options, b: Options): boolean =>
  Object.keys(a).every((k) => k === 'click_func' || a[k] === b[k]);

/**
 * Draws views: creates each widget once, updates only what changed, deletes what a view no longer
 * has. Keeps the page files to layout-free wiring.
 */
export function createRenderer(onAction: (action: string) => void): {
  render(view: View): void;
  clear(): void;
} {
  const drawn = new Map<string, { type: number; opts: Options; handle: Handle }>();
  // A tap looks up the button's action in the latest view: a re-render never leaves a stale closure.
  const actions = new Map<string, string>();
  return {
    render(view) {
      const seen = new Set<string>();
      for (const w of view) {
        seen.add(w.id);
        if (w.type === 'button') actions.set(w.id, w.action);
        const id = w.id;
        const [type, opts] = options(w, () => {
          const action = actions.get(id);
          if (action !== undefined) onAction(action);
        });
        const old = drawn.get(w.id);
        if (old && old.type === type) {
          if (!same(opts, old.opts)) {
            const { click_func: _ignored, ...rest } = opts;
            old.handle.setProperty(prop.MORE as unknown as number, rest);
            old.opts = opts;
          }
          continue;
        }
        if (old) deleteWidget(old.handle as never);
        const handle = (createWidget as unknown as (t: number, o: Options) => Handle)(type, opts);
        drawn.set(w.id, { type, opts, handle });
      }
      for (const [id, old] of drawn) {
        if (!seen.has(id)) {
          deleteWidget(old.handle as never);
          drawn.delete(id);
          actions.delete(id);
        }
      }
    },
    clear() {
      for (const old of drawn.values()) deleteWidget(old.handle as never);
      drawn.clear();
    },
  };
}
