import { createWidget, widget } from '@zos/ui';
import { BasePage } from '@zeppos/zml/base-page';

Page(
  BasePage({
    build() {
      createWidget(widget.TEXT, { x: 0, y: 200, w: 480, h: 60, text: 'Decompress' });
    },
  }),
);
