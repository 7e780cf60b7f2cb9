// The package ships JavaScript only: the one class and method the tests call.
declare module '@asymmetrik/fhir-json-schema-validator' {
  export default class JSONSchemaValidator {
    constructor(schema?: object, ajvSettings?: object);
    validate(resource: unknown, verbose?: boolean): { dataPath: string; message: string }[];
  }
}
