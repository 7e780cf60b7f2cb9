import { createWidget, deleteWidget, widget } from '@zos/ui';
import type { Box } from '../../core/screens/layout';

/**
 * One picture on a page (an IMG of the package's `pictures/`): `show(p)` draws it, anew when its source
 * changes (IMG's reference page lists no property that setProperty may change), and `show(null)` takes
 * it away. Created after the page's view, so it lies above the view's widgets.
 */
export function pictureSlot(): (p: { readonly src: string; readonly box: Box } | null) => void {
  let src: string | undefined;
  let shown: unknown;
  return (p) => {
    const next = p ? p.src : undefined;
    if (next === src) return;
    if (shown) deleteWidget(shown as never);
    shown = p && createWidget(widget.IMG, { ...p.box, src: next });
    src = next;
  };
}
