import { BaseSideService } from '@zeppos/zml/base-side';

AppSideService(
  BaseSideService({
    onRequest(req, res) {
      res(null, { method: req.method });
    },
  }),
);
