import { createWidget, deleteWidget, widget } from '@zos/ui';
import type { Box } from '../../core/screens/layout';

/**
 * One picture on a page (an IMG of the package's `pictures/`): `show(p)` draws it, anew when its source
 * changes, and `show(null)` takes it away. Created after the page's view, so it lies above the view's
 * widgets. (IMG's page sets `src` through setProperty(prop.MORE) in an example, one write instead of
 * five; the session page has not the 40 B of JavaScript that would take.)
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
