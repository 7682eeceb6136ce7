// Validates response bodies and parameter values against the schemas of the bundle, through the
// spec tests' helper (test/spec/load-bundle.ts: dereferenced bundle, Ajv strict + ajv-formats,
// OpenAPI 3.0 keywords translated). The schema is looked up from the operation's declared response
// for the status code, so a body is checked against exactly what the spec promises for it.
import type { ValidateFunction } from "ajv";
import { loadBundle, schemaValidator, type OpenAPIV3 } from "../spec/load-bundle.ts";

export const OPERATION_PATH = "/v2/{project_id}/instances/{instance_id}/tasks";

let bundle: Promise<OpenAPIV3.Document> | undefined;
const validators = new Map<string, ValidateFunction>();

async function operation() {
  bundle ??= loadBundle();
  const item = (await bundle).paths[OPERATION_PATH];
  if (!item?.get) throw new Error(`the bundle has no GET ${OPERATION_PATH}`);
  return { item, get: item.get };
}

/** The JSON schema the spec declares for `GET <OPERATION_PATH>` answering `status` (exact code, else `default`). */
export async function responseSchema(status: number): Promise<OpenAPIV3.SchemaObject> {
  const { get } = await operation();
  const response = (get.responses[String(status)] ?? get.responses.default) as OpenAPIV3.ResponseObject | undefined;
  const schema = response?.content?.["application/json"]?.schema as OpenAPIV3.SchemaObject | undefined;
  if (!schema) throw new Error(`the spec declares no application/json response ${status} for GET ${OPERATION_PATH}`);
  return schema;
}

function errorsOf(validate: ValidateFunction, value: unknown, prefix = ""): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${prefix}${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}

/** Ajv's errors for `body` against the declared schema of `status`, or `[]` if valid. */
export async function responseErrors(status: number, body: unknown): Promise<string[]> {
  const key = `response:${status}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = schemaValidator(await responseSchema(status));
    validators.set(key, validate);
  }
  return errorsOf(validate, body);
}

/** Throws unless `body` matches the schema the spec declares for `status`. */
export async function assertMatchesSpec(status: number, body: unknown): Promise<void> {
  const errors = await responseErrors(status, body);
  if (errors.length > 0) {
    throw new Error(`response ${status} does not match the spec:\n  ${errors.join("\n  ")}\nbody: ${JSON.stringify(body)}`);
  }
}

/**
 * Ajv's errors for a query parameter's value (typed: a number for `start`/`limit`, the string for
 * `begin_time`/`end_time`) against the parameter's schema in the spec, or `[]` if valid.
 */
export async function parameterErrors(name: string, value: unknown): Promise<string[]> {
  const key = `parameter:${name}`;
  let validate = validators.get(key);
  if (!validate) {
    const { item, get } = await operation();
    const parameters = [...(item.parameters ?? []), ...(get.parameters ?? [])] as OpenAPIV3.ParameterObject[];
    const schema = parameters.find((p) => p.name === name)?.schema;
    if (!schema) throw new Error(`the spec declares no parameter ${name} with a schema`);
    validate = schemaValidator(schema);
    validators.set(key, validate);
  }
  return errorsOf(validate, value, name);
}
