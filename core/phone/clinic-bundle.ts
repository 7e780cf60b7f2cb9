import { sessionsFhirBundle } from '../log/fhir';
import type { SessionLog } from '../log/session-log';

/**
 * One session as a FHIR R4 transaction Bundle for the clinic's server: the resources of the export
 * (core/log/fhir.ts: a Procedure, Observations of duration, pain before and after, heart rate), each
 * created only if the server holds none with its identifier (`ifNoneExist`), so a second send of the
 * same session makes no second record. The subject is the server's own reference of the signed-in
 * patient.
 *
 * - Each resource's identifier is `urn:ietf:rfc:3986` | `urn:uuid:<the export's UUID of it>`: stable,
 *   made from the session id and the resource's role, the same in every send and every export.
 * - The entries' fullUrls are other UUIDs (the role's group with its 0x800 bit set): servers replace
 *   every string that names a fullUrl by the created resource's reference, identifier values included
 *   (Medplum does), which would leave nothing to find the resource by at the next send.
 * - The Observations' `partOf` names the Procedure's fullUrl: a server resolves it to the Procedure it
 *   created, or to the one it already held when the conditional create matched.
 */

export const IDENTIFIER_SYSTEM = 'urn:ietf:rfc:3986';

type Resource = { resourceType: string; [key: string]: unknown };
export interface TransactionEntry {
  readonly fullUrl: string;
  readonly resource: Resource;
  readonly request: { readonly method: 'POST'; readonly url: string; readonly ifNoneExist: string };
}
export interface TransactionBundle {
  readonly resourceType: 'Bundle';
  readonly type: 'transaction';
  readonly entry: readonly TransactionEntry[];
}

/** The fullUrl of a resource in a transaction, from the export's UUID of it. */
export function transactionUrl(exportUrl: string): string {
  return exportUrl.replace(
    /-8([0-9a-f]{3})-/,
    (_, role: string) => `-8${(0x800 | parseInt(role, 16)).toString(16)}-`,
  );
}

/**
 * The search that finds a session's resource by its identifier, in the patient's own records: what
 * `ifNoneExist` asks. Never another patient's resource, whatever identifier it holds: a match there
 * would make nothing for this patient and point their Observations at someone else's Procedure.
 */
export function identifierQuery(exportUrl: string, patient: string): string {
  return `identifier=${encodeURIComponent(`${IDENTIFIER_SYSTEM}|${exportUrl}`)}&subject=${encodeURIComponent(patient)}`;
}

export function sessionTransaction(log: SessionLog, patient: string): TransactionBundle {
  // A transaction has no timestamp: the export's (its first two arguments) is left behind with its Patient.
  const exported = sessionsFhirBundle([log], 0, 0).entry.slice(1);
  const entry = exported.map(({ fullUrl, resource }): TransactionEntry => {
    const r = resource as Resource & { identifier?: unknown[]; partOf?: { reference: string }[] };
    const own = { system: IDENTIFIER_SYSTEM, value: fullUrl };
    return {
      fullUrl: transactionUrl(fullUrl),
      resource: {
        ...r,
        identifier: [...(r.identifier ?? []), own],
        subject: { reference: patient },
        ...(r.partOf ? { partOf: r.partOf.map((p) => ({ reference: transactionUrl(p.reference) })) } : {}),
      },
      request: { method: 'POST', url: r.resourceType, ifNoneExist: identifierQuery(fullUrl, patient) },
    };
  });
  return { resourceType: 'Bundle', type: 'transaction', entry };
}
