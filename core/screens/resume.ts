import type { Translate } from '../base/i18n';
import type { Program, Step } from '../base/program';
import type { Route } from '../base/routes';
import type { Running } from '../engine/session-record';
import type { Followed } from '../watch/service';
import type { SettleWhich, Settled } from '../watch/running';
import { fit } from './fit';
import type { Layout } from './layout';
import { appTitle, COLOR, styledButton, type View, type Widget } from './widgets';

/**
 * The page home opens instead of itself when the running keys hold anything (core/engine/running-keys
 * `sessionStored`): it decides what becomes of the stored session, so that home carries none of the
 * code that reads, follows or logs one. In order: a session the App Service runs goes to the session
 * page, one it finished to the summary (core/watch/service `followClock`); a finished session never
 * cleared, or one whose running state is lost (only its start record reads: nothing to resume from), is
 * logged silently and keys nobody can read are quarantined (`settleRunning` 'stale'); a session cut
 * short is offered, Resume or Log as interrupted. Once nothing is left to decide, home.
 */

export type ResumeStage =
  /** Not read yet (the first draw, before the follow and the settle have run). */
  | 'opening'
  /** A session was cut short (app closed, watch restarted): resume it or log it as it was. */
  | 'interrupted'
  /**
   * A finished session's log waits for room in the full outbox. No new session starts until it is
   * stored: a new one would overwrite it, and a log is never given up.
   */
  | 'blocked'
  /** Keys nobody can read, with no room left in the quarantine to keep them: nothing can be done here. */
  | 'unreadable';

export interface ResumeModel {
  readonly stage: ResumeStage;
  /** The outbox had no room for a log: the sync runs, so that the phone makes room. */
  readonly full: boolean;
  /**
   * The first launch: the wrist check was never offered (CHECK_OFFERED_KEY absent, which home also
   * sends here). Once nothing is left to decide, the check opens above this page rather than home;
   * its "Not now" or "Done" comes back here, and home follows.
   */
  readonly offerCheck?: boolean;
}

export type ResumeAction = 'resume' | 'discard';

export type ResumeEvent =
  /** What `followClock` did with a session the App Service runs. */
  | { readonly type: 'followed'; readonly followed: Followed }
  /** What a settle effect did, and what the running keys hold after it. */
  | { readonly type: 'settled'; readonly outcome: Settled; readonly left: Running['type'] }
  /** A button of the view. */
  | ResumeTap
  /** The outbox changed (the phone acknowledged logs): there may be room now. */
  | { readonly type: 'outboxChanged' };

/** What the offer's buttons carry: resume the session, or log it as it was. */
export type ResumeTap = { readonly type: 'resume' } | { readonly type: 'discard' };

export type ResumeEffect =
  /** Bring a session the App Service runs up to the clock (`followClock`). */
  | { readonly type: 'follow' }
  /** Log (or quarantine) what the running keys hold: only what nobody will resume, or anything. */
  | { readonly type: 'settle'; readonly which: SettleWhich }
  /** Start the outbox's sync loop, so that the phone takes logs and makes room. */
  | { readonly type: 'sync' }
  /**
   * Leave for another page, this one for good: home; the session page (it resumes a stored session,
   * and opens one the service runs where the clock says); the summary (it logs a session the service
   * finished, with the end reading it handed back).
   */
  | { readonly type: 'open'; readonly route: Route };

/** What the page shows for what the running keys hold; null: nothing is left to decide here. */
export function stageOf(left: Running['type']): ResumeStage | null {
  switch (left) {
    case 'none':
      return null;
    case 'resumable':
      return 'interrupted';
    // Left only when its log could not be stored: as a finished one, it waits for room.
    case 'lost':
    case 'finished':
      return 'blocked';
    case 'corrupt':
      return 'unreadable';
  }
}

const open = (model: ResumeModel, page: 'home' | 'session' | 'summary'): Step<ResumeModel, ResumeEffect> => ({
  model,
  effects: [{ type: 'open', route: { page } }],
});

export function updateResume(model: ResumeModel, event: ResumeEvent): Step<ResumeModel, ResumeEffect> {
  const none = { model, effects: [] };
  switch (event.type) {
    case 'followed':
      if (event.followed === 'running') return open(model, 'session');
      if (event.followed === 'finished') return open(model, 'summary');
      // Not the service's, or paused by the patient: as any stored session. A finished session never
      // cleared is logged now, silently; one cut short is offered.
      return { model, effects: [{ type: 'settle', which: 'stale' }] };
    case 'settled': {
      const stage = stageOf(event.left);
      // The check is offered only where nothing was stored at all (a plain first launch): a page that had
      // a session to settle may still be talking to the phone, and goes home as before.
      if (stage === null)
        return model.offerCheck && model.stage === 'opening' && event.outcome === 'none'
          ? {
              model: { ...model, offerCheck: false },
              effects: [{ type: 'open', route: { page: 'check', above: true } }],
            }
          : open(model, 'home');
      // Unreadable keys kept for want of quarantine room are no matter for the outbox.
      const full = model.full || (event.outcome === 'kept' && event.left !== 'corrupt');
      return {
        model: { stage, full },
        effects: full && !model.full ? [{ type: 'sync' }] : [],
      };
    }
    case 'resume':
      return model.stage === 'interrupted' ? open(model, 'session') : none;
    case 'discard':
      return model.stage === 'interrupted' ? { model, effects: [{ type: 'settle', which: 'any' }] } : none;
    case 'outboxChanged':
      // The phone took logs: a finished session waiting for room is logged now, and home follows.
      return model.stage === 'blocked' ? { model, effects: [{ type: 'settle', which: 'stale' }] } : none;
  }
}

/** The resume page as a program: it follows the App Service first, then settles. */
export const resumeProgram: Program<ResumeModel, ResumeEvent, ResumeEffect> = {
  init: { model: { stage: 'opening', full: false }, effects: [{ type: 'follow' }] },
  update: updateResume,
};

/** The same, at the first launch: the wrist check is offered once nothing is left to decide. */
export const firstLaunchProgram: Program<ResumeModel, ResumeEvent, ResumeEffect> = {
  ...resumeProgram,
  init: { model: { stage: 'opening', full: false, offerCheck: true }, effects: [{ type: 'follow' }] },
};

export function resumeView(model: ResumeModel, layout: Layout, t: Translate): View<ResumeTap> {
  const { font } = layout;
  const buttonH = Math.round(font.body * 2.1);
  const widgets: Widget<ResumeTap>[] = [appTitle(layout, t('app.name'))];
  const warning = (id: string, text: string): Widget<never> => ({
    type: 'text',
    id,
    box: layout.rowAt(0.5, font.small * 4.4),
    text,
    size: font.small,
    color: COLOR.warning,
    wrap: true,
  });
  if (model.stage === 'interrupted') {
    widgets.push(
      {
        type: 'text',
        id: 'unfinished',
        // Room for a second line: one line of it is near the width of a small screen in some languages.
        box: layout.rowAt(0.38, font.small * 2.6),
        text: t('resume.unfinished'),
        size: font.small,
        color: COLOR.warning,
        wrap: true,
      },
      styledButton(
        'resume',
        { type: 'resume' } as const,
        t('resume.resume'),
        layout.button(0.52, buttonH, 0.7),
        font.body,
        true,
      ),
      styledButton(
        'discard',
        { type: 'discard' } as const,
        t('resume.discard'),
        layout.button(0.69, buttonH, 0.7),
        font.body,
        false,
      ),
    );
  } else if (model.stage === 'blocked') {
    widgets.push(warning('blocked', t('resume.blocked')));
  } else if (model.stage === 'unreadable') {
    widgets.push(warning('unreadable', t('resume.unreadable')));
  }
  if (model.full) {
    widgets.push({
      type: 'text',
      id: 'full',
      box: layout.rowAt(0.855, font.small * 1.3),
      text: t('home.full'),
      size: font.small,
      color: COLOR.warning,
    });
  }
  return fit(widgets);
}
