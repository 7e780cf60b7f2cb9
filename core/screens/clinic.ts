import type { KeyValueStore } from '../base/kv';
import type { Translate } from '../base/i18n';
import type { SessionLog } from '../log/session-log';
import {
  asFields,
  CLINIC_SCOPES,
  ledgerId,
  parseClinicServer,
  parseServerUrl,
  readClinicLink,
  readToken,
  saveClinicServer,
  saveSignIn,
  signOut,
  type TokenProblem,
} from '../phone/clinic-link';
import { clinicReport, forgetRefused, monthOf } from '../phone/clinic-queue';
import { readRetry, tokenEnding, type SendProblem } from '../phone/clinic-send';

/**
 * The Settings page's "Send to my clinic" section as data, and what its inputs and buttons do. The
 * page (setting/index.ts) lays it out with the Settings App's components, `Auth` for the sign-in.
 */

/** The section's own state: what was typed and refused, and why the last sign-in was not taken. */
export const CLINIC_FORM_KEY = 'clinic.form';

export type ClinicField = 'base' | 'clientId';

interface ClinicForm {
  readonly base?: string;
  readonly clientId?: string;
  /** The field whose text was refused, with the reason (core's own words, in English: see README). */
  readonly refused?: { readonly field: ClinicField; readonly message: string };
  readonly signInProblem?: TokenProblem;
}

function readForm(store: KeyValueStore): ClinicForm {
  const f = asFields(store.get(CLINIC_FORM_KEY)) ?? {};
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 300) : undefined);
  const r = asFields(f.refused);
  const problems: readonly TokenProblem[] = ['no_token', 'no_patient', 'bad_patient'];
  return {
    ...(str(f.base) !== undefined ? { base: str(f.base) } : {}),
    ...(str(f.clientId) !== undefined ? { clientId: str(f.clientId) } : {}),
    ...(r && (r.field === 'base' || r.field === 'clientId') && typeof r.message === 'string'
      ? { refused: { field: r.field, message: r.message.slice(0, 300) } }
      : {}),
    ...(problems.includes(f.signInProblem as TokenProblem)
      ? { signInProblem: f.signInProblem as TokenProblem }
      : {}),
  };
}

/**
 * The patient typed one of the two fields. Once both read, the server is saved (a new one drops the
 * old sign-in) and the Side Service looks up where to sign in.
 */
export function editClinic(store: KeyValueStore, field: ClinicField, text: string): void {
  const form = readForm(store);
  const saved = readClinicLink(store).server;
  const typed = text.trim().slice(0, 300);
  const draft = {
    base: field === 'base' ? typed : (form.base ?? saved?.base ?? ''),
    clientId: field === 'clientId' ? typed : (form.clientId ?? saved?.clientId ?? ''),
  };
  if (field === 'base') {
    const base = parseServerUrl(typed, "The clinic's FHIR address");
    if (!base.ok)
      return store.set(
        CLINIC_FORM_KEY,
        JSON.stringify({ ...draft, refused: { field, message: base.error } }),
      );
  }
  if (draft.base === '' || draft.clientId === '') return store.set(CLINIC_FORM_KEY, JSON.stringify(draft));
  const server = parseClinicServer(draft.base, draft.clientId);
  if (!server.ok)
    return store.set(
      CLINIC_FORM_KEY,
      JSON.stringify({ ...draft, refused: { field, message: server.error } }),
    );
  store.remove(CLINIC_FORM_KEY);
  saveClinicServer(store, server.value);
}

/** `Auth`'s onAccessToken: the token is kept if it names the patient; otherwise the page says why. */
export function acceptSignIn(store: KeyValueStore, received: unknown, now: number): void {
  const server = readClinicLink(store).server;
  if (!server) return;
  const token = readToken(received, now, server.base);
  if (!token.ok) return store.set(CLINIC_FORM_KEY, JSON.stringify({ signInProblem: token.error }));
  store.remove(CLINIC_FORM_KEY);
  saveSignIn(store, token.value);
}

export function signOutOfClinic(store: KeyValueStore): void {
  signOut(store);
}

/** "Send refused sessions again": the patient's own decision, once the clinic fixed its side. */
export function resendRefused(store: KeyValueStore, logs: readonly SessionLog[], now: number): void {
  const token = readClinicLink(store).token;
  if (token) forgetRefused(store, ledgerId(token), logs.map(monthOf), now);
}

export interface ClinicSignIn {
  readonly label: string;
  readonly description: string;
  readonly authorizeUrl: string;
  readonly requestTokenUrl: string;
  readonly clientId: string;
  readonly scope: string;
}

export interface ClinicView {
  readonly title: string;
  readonly description: string;
  readonly base: { readonly label: string; readonly value: string; readonly error?: string };
  readonly clientId: { readonly label: string; readonly value: string; readonly error?: string };
  /** What is happening, one line each: sign-in state, sent, waiting, the last problem. */
  readonly status: readonly string[];
  /** The sign-in, when the server says where and the patient is not (or no longer) signed in. */
  readonly signIn?: ClinicSignIn;
  readonly signOut?: string;
  /** Sessions the clinic refused, each with the server's own words. */
  readonly refused: readonly string[];
  readonly resendRefused?: string;
}

const when = (ms: number, offset: number): string =>
  new Date(ms + offset * 60_000).toISOString().slice(0, 16).replace('T', ' ');

function problemText(p: SendProblem, t: Translate): string {
  switch (p.code) {
    case 'network':
      return t('clinic.problem.network', { detail: p.detail });
    case 'timeout':
      return t('clinic.problem.timeout');
    case 'status':
      return t('clinic.problem.status', { status: p.status, detail: p.detail });
    case 'malformed':
      return t('clinic.problem.malformed', { detail: p.detail });
  }
}

export interface ClinicInputs {
  readonly store: KeyValueStore;
  /** The history, oldest first (History.all()). */
  readonly logs: readonly SessionLog[];
  readonly now: number;
  readonly utcOffsetMin: number;
}

export function clinicView({ store, logs, now, utcOffsetMin }: ClinicInputs, t: Translate): ClinicView {
  const form = readForm(store);
  const { server, discovery, token, signIn } = readClinicLink(store);
  const field = (name: ClinicField, saved: string | undefined) => ({
    label: t(`clinic.field.${name}`),
    value: form.refused?.field === name ? (form[name] ?? '') : (form[name] ?? saved ?? ''),
    ...(form.refused?.field === name ? { error: form.refused.message } : {}),
  });
  const status: string[] = [];
  const refused: string[] = [];
  let sign: ClinicSignIn | undefined;
  const at = (ms: number) => when(ms, utcOffsetMin);
  if (!server) status.push(t('clinic.status.none'));
  else if (!discovery) status.push(t('clinic.status.lookingUp', { base: server.base }));
  else if ('problem' in discovery)
    status.push(
      discovery.problem.code === 'status'
        ? t('clinic.status.noSignInStatus', { base: server.base, status: discovery.problem.status })
        : t('clinic.status.noSignInMalformed', { base: server.base, detail: discovery.problem.detail }),
    );
  else {
    const offer: ClinicSignIn = {
      label: t('clinic.signIn'),
      description: t('clinic.signIn.description'),
      authorizeUrl: discovery.authorize,
      requestTokenUrl: discovery.token,
      clientId: server.clientId,
      scope: CLINIC_SCOPES,
    };
    if (!token) {
      status.push(t('clinic.status.signedOut'));
      if (form.signInProblem) status.push(t(`clinic.signInProblem.${form.signInProblem}`));
      sign = offer;
    } else {
      status.push(t('clinic.status.signedIn', { base: server.base, patient: token.patient }));
      if (signIn) {
        status.push(
          signIn.code === 'refresh_refused'
            ? t('clinic.again.refused', { status: signIn.status, detail: signIn.detail })
            : t(signIn.code === 'expired' ? 'clinic.again.expired' : 'clinic.again.unauthorized'),
        );
        sign = offer;
      } else if (tokenEnding(token, now) && token.refresh === undefined) sign = offer;
      const report = clinicReport(store, ledgerId(token), logs);
      status.push(
        report.lastSentAt === undefined
          ? t('clinic.sent.none')
          : t('clinic.sent', { count: report.sent, when: at(report.lastSentAt) }),
      );
      status.push(t('clinic.waiting', { count: report.waiting }));
      const retry = readRetry(store);
      if (retry && report.waiting > 0)
        status.push(
          t('clinic.retry', { problem: problemText(retry.problem, t), when: at(Math.max(retry.at, now)) }),
        );
      for (const r of report.refused)
        refused.push(
          t('clinic.refused.row', {
            session: when(r.log.startedAt, r.log.utcOffsetMin),
            status: r.status,
            message: r.message,
          }),
        );
    }
  }
  return {
    title: t('clinic.title'),
    description: t('clinic.description'),
    base: field('base', server?.base),
    clientId: field('clientId', server?.clientId),
    status,
    ...(sign ? { signIn: sign } : {}),
    ...(token ? { signOut: t('clinic.signOut') } : {}),
    refused,
    ...(refused.length > 0 ? { resendRefused: t('clinic.resendRefused') } : {}),
  };
}
