import { BaseSideService } from '@zeppos/zml/base-side';
import { openHistory } from '../core/phone/history';
import { prescriptionPush } from '../core/link/prescription-push';
import { handleRequest, isPrescriptionChange } from '../core/phone/side-handler';
import { phoneStore } from './phone-store';
import { isClinicSetting } from '../core/phone/clinic-link';
import { startClinic } from './clinic';

/** The clinic's delivery loop, while the Side Service runs (it keeps its queue in settingsStorage). */
let clinic: ReturnType<typeof startClinic> | undefined;

/**
 * The phone side: every watch request goes to core's handler over the Settings storage the Zepp app
 * keeps for us. Nothing is kept in memory: the phone may stop and restart this service at any time.
 */
AppSideService(
  BaseSideService({
    onInit() {
      clinic = startClinic(phoneStore());
    },
    onDestroy() {
      clinic?.stop();
    },
    onRequest(req: { method: string; params: unknown }, res: (error: unknown, data: unknown) => void) {
      res(null, handleRequest(phoneStore(), req?.params, Date.now(), __APP_VERSION__));
      clinic?.dispatch({ type: 'wake', now: Date.now(), reason: 'stored' });
    },
    /**
     * A prescription saved in the Settings App is pushed to the watch at once. If the watch app is not
     * open the push is lost, and the home page's prescription.get at its next start fetches it instead.
     */
    onSettingsChange(change: { key?: unknown } | undefined) {
      if (isClinicSetting(change?.key))
        clinic?.dispatch({ type: 'wake', now: Date.now(), reason: 'settings' });
      if (!isPrescriptionChange(change?.key)) return;
      try {
        this.call(prescriptionPush(openHistory(phoneStore(), { now: Date.now() }).prescription()));
      } catch {
        // No watch connected: nothing to do; the watch asks at its next start.
      }
    },
  }),
);
