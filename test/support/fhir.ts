import JSONSchemaValidator from '@asymmetrik/fhir-json-schema-validator';
import { Fhir } from 'fhir';

/**
 * Two maintained validators, each against the FHIR R4 definitions: FHIR.js (the R4 StructureDefinitions:
 * types, cardinality, required code bindings, primitive formats) and the official R4 JSON Schema
 * (fhir.schema.json, as HL7 publishes it, run by ajv). A finding of either is an error; FHIR.js's
 * warnings (codes of example bindings it has no value set for, e.g. LOINC) are not.
 */
export interface FhirFindings {
  readonly structure: string[];
  readonly schema: string[];
}

const fhir = new Fhir();
let jsonSchema: JSONSchemaValidator | undefined;

export function validateR4(resource: unknown): FhirFindings {
  const structure = fhir
    .validate(resource as object, { errorOnUnexpected: true })
    .messages.filter((m) => m.severity === 'error')
    .map((m) => `${m.resourceId ?? ''} ${m.location ?? ''}: ${m.message ?? ''}`);
  jsonSchema ??= new JSONSchemaValidator();
  const schema = jsonSchema.validate(resource, true).map((e) => `${e.dataPath}: ${e.message}`);
  return { structure, schema };
}
