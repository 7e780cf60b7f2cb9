import { gettext } from 'i18n';
import { openHistory } from '../core/phone/history';
import { translator } from '../core/base/i18n';
import {
  applyEdit,
  decodeForm,
  encodeForm,
  settingsView,
  SETTINGS_FORM_KEY,
  type FieldView,
  type FormField,
} from '../core/screens/settings';
import { phoneStore } from '../app-side/phone-store';
import { readProfiles } from '../core/phone/watch-profiles';
import { thisWatchView } from '../core/screens/this-watch';
import {
  acceptSignIn,
  clinicView,
  editClinic,
  resendRefused,
  signOutOfClinic,
  type ClinicView,
} from '../core/screens/clinic';

/**
 * The Settings App page in the Zepp phone app: history, adherence, flagged sessions, the prescription,
 * the CSV and FHIR exports, and "This watch" (the wrist check each watch sent).
 * Layout and wiring only; core/screens/settings decides what each part says. build() runs again after
 * every settingsStorage change (ours, or the Side Service storing logs), so it re-reads everything.
 */
const t = translator((key) => gettext(key));
const ERROR_STYLE = { color: '#c0392b', fontSize: '13px' };
const MUTED_STYLE = { color: '#6b7780', fontSize: '13px' };

AppSettingsPage({
  build(props: SettingsProps) {
    const store = phoneStore(props.settingsStorage);
    const now = Date.now();
    const history = openHistory(store, { now });
    const record = history.prescription();
    const form = decodeForm(store.get(SETTINGS_FORM_KEY));
    const logs = history.all();
    const utcOffsetMin = -new Date(now).getTimezoneOffset();
    const keptAside = history.conflicts().length;
    const view = settingsView({ logs, record, form, now, utcOffsetMin, keptAside }, t);
    const clinic = clinicView({ store, logs, now, utcOffsetMin }, t);
    const watches = thisWatchView(readProfiles(store, now), __APP_VERSION__, t, logs);

    const edit = (field: FormField, text: string): void => {
      const next = applyEdit(openHistory(store, { now: Date.now() }), record.revision, form, field, text);
      store.set(SETTINGS_FORM_KEY, encodeForm(next));
    };
    const toggleExport = (): void =>
      store.set(
        SETTINGS_FORM_KEY,
        encodeForm({ exportOpen: !form.exportOpen, fhirOpen: form.fhirOpen === true }),
      );
    const toggleFhir = (): void =>
      store.set(
        SETTINGS_FORM_KEY,
        encodeForm({ exportOpen: form.exportOpen, fhirOpen: form.fhirOpen !== true }),
      );

    const field = (f: FieldView) =>
      View({ style: { marginBottom: '8px' } }, [
        TextInput({
          label: `${f.label} (${f.hint})`,
          value: f.value,
          onChange: (text: string) => edit(f.field, String(text ?? '')),
        }),
        ...(f.error ? [Text({ style: ERROR_STYLE }, f.error)] : []),
      ]);

    const clinicSection = (c: ClinicView) =>
      Section({ title: c.title, description: c.description }, [
        ...(['base', 'clientId'] as const).map((name) =>
          View({ style: { marginBottom: '8px' } }, [
            TextInput({
              label: c[name].label,
              value: c[name].value,
              onChange: (text: string) => editClinic(store, name, String(text ?? '')),
            }),
            ...(c[name].error ? [Text({ style: ERROR_STYLE }, c[name].error)] : []),
          ]),
        ),
        ...c.status.map((line) => Text({ paragraph: true }, line)),
        ...(c.signIn
          ? [
              Auth({
                label: c.signIn.label,
                description: c.signIn.description,
                authorizeUrl: c.signIn.authorizeUrl,
                requestTokenUrl: c.signIn.requestTokenUrl,
                clientId: c.signIn.clientId,
                scope: c.signIn.scope,
                pkce: true,
                onAccessToken: (token: unknown) => acceptSignIn(store, token, Date.now()),
              }),
            ]
          : []),
        ...c.refused.map((line) => Text({ paragraph: true, style: ERROR_STYLE }, line)),
        ...(c.resendRefused
          ? [Button({ label: c.resendRefused, onClick: () => resendRefused(store, logs, Date.now()) })]
          : []),
        ...(c.signOut ? [Button({ label: c.signOut, onClick: () => signOutOfClinic(store) })] : []),
      ]);

    return View({ style: { padding: '12px 16px' } }, [
      Text({ bold: true, style: { fontSize: '20px', marginBottom: '8px' } }, view.title),
      Section({ title: view.adherence.title }, [
        Text({ paragraph: true }, view.adherence.streak),
        Text({ paragraph: true }, view.adherence.week),
        View(
          { style: { display: 'flex', flexWrap: 'wrap' } },
          view.adherence.days.map((d) =>
            Text({ style: { marginRight: '12px', ...(d.met === false ? MUTED_STYLE : {}) } }, d.text),
          ),
        ),
        Text({ paragraph: true, style: MUTED_STYLE }, view.adherence.monitoring),
        Text({ paragraph: true, style: MUTED_STYLE }, view.adherence.painFlags),
      ]),
      Section(
        { title: view.flagged.title },
        view.flagged.empty !== undefined
          ? [Text({ style: MUTED_STYLE }, view.flagged.empty)]
          : view.flagged.rows.map((r) => Text({ paragraph: true, style: ERROR_STYLE }, r.text)),
      ),
      Section({ title: view.recent.title }, [
        ...(view.recent.empty !== undefined
          ? [Text({ style: MUTED_STYLE }, view.recent.empty)]
          : view.recent.rows.map((r) =>
              Text({ paragraph: true, ...(r.painFlag ? { style: ERROR_STYLE } : {}) }, r.text),
            )),
        ...(view.recent.keptAside ? [Text({ style: MUTED_STYLE }, view.recent.keptAside)] : []),
      ]),
      Section({ title: view.prescription.title, description: view.prescription.description }, [
        ...view.prescription.fields.map(field),
        ...(view.prescription.notice ? [Text({ style: MUTED_STYLE }, view.prescription.notice)] : []),
      ]),
      Section({ title: view.export.title, description: view.export.description }, [
        Button({ label: view.export.button, onClick: toggleExport }),
        ...(view.export.csv !== undefined
          ? [
              TextInput({
                label: 'decompress-sessions.csv',
                value: view.export.csv,
                multiline: true,
                rows: 12,
              }),
            ]
          : []),
        Button({ label: view.export.fhirButton, onClick: toggleFhir }),
        ...(view.export.fhir !== undefined
          ? [
              TextInput({
                label: 'decompress-sessions.fhir.json',
                value: view.export.fhir,
                multiline: true,
                rows: 12,
              }),
            ]
          : []),
      ]),
      clinicSection(clinic),
      Section({ title: watches.title, description: watches.description }, [
        ...(watches.empty !== undefined ? [Text({ style: MUTED_STYLE }, watches.empty)] : []),
        ...watches.watches.flatMap((w) => [
          Text({ bold: true, paragraph: true }, w.heading),
          Text({ paragraph: true }, w.path),
          ...w.lines.map((line) => Text({ paragraph: true, style: MUTED_STYLE }, line)),
          TextInput({ label: w.reportLabel, value: w.report, multiline: true, rows: 8 }),
        ]),
        Text({ bold: true, paragraph: true }, watches.sessions.heading),
        ...watches.sessions.lines.map((line) => Text({ paragraph: true, style: MUTED_STYLE }, line)),
      ]),
    ]);
  },
});
