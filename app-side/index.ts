import { BaseSideService } from '@zeppos/zml/base-side';
import { handleRequest } from '../core/side-handler';
import { phoneStore } from './phone-store';

/**
 * The phone side: every watch request goes to core's handler over the Settings storage the Zepp app
 * keeps for us. Nothing is kept in memory: the phone may stop and restart this service at any time.
 */
AppSideService(
  BaseSideService({
    onRequest(req: { method: string; params: unknown }, res: (error: unknown, data: unknown) => void) {
      res(null, handleRequest(phoneStore(), req?.params, Date.now(), __APP_VERSION__));
    },
  }),
);
