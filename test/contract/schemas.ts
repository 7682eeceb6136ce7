// Validates response bodies and parameter values against the schemas of the bundle, through the
// spec tests' helper (test/spec/load-bundle.ts: dereferenced bundle, Ajv strict + ajv-formats,
// OpenAPI 3.0 keywords translated). The schema is looked up from the operation's declared response
// for the status code, so a body is checked against exactly what the spec promises for it.
// Every function takes the operationId; it defaults to the list, the first consumer of this file.
import type { ValidateFunction } from "ajv";
import { loadBundle, schemaValidator, type OpenAPIV3 } from "../spec/load-bundle.ts";

export const OPERATION_PATH = "/v2/{project_id}/instances/{instance_id}/tasks";

/** The operations of the bundle, by operationId. */
export type OperationId = "listBackgroundTasks" | "showBackgroundTask" | "showBackgroundTaskProgress" | "deleteBackgroundTask";

let bundle: Promise<OpenAPIV3.Document> | undefined;
const validators = new Map<string, ValidateFunction>();

/** The path, method, path item and operation object of `operationId` in the dereferenced bundle. */
export async function findOperation(operationId: OperationId) {
  bundle ??= loadBundle();
  for (const [path, item] of Object.entries((await bundle).paths)) {
    for (const method of ["get", "put", "post", "delete", "patch"] as const) {
      const op = item?.[method as OpenAPIV3.HttpMethods];
      if (op?.operationId === operationId) return { path, method, item: item!, op };
    }
  }
  throw new Error(`the bundle has no operation ${operationId}`);
}

async function declaredResponse(status: number, operationId: OperationId): Promise<OpenAPIV3.ResponseObject> {
  const { op, method, path } = await findOperation(operationId);
  const response = (op.responses[String(status)] ?? op.responses.default) as OpenAPIV3.ResponseObject | undefined;
  if (!response) throw new Error(`the spec declares no response ${status} for ${method.toUpperCase()} ${path}`);
  return response;
}

/** The JSON schema the spec declares for `operationId` answering `status` (exact code, else `default`). */
export async function responseSchema(status: number, operationId: OperationId = "listBackgroundTasks"): Promise<OpenAPIV3.SchemaObject> {
  const schema = (await declaredResponse(status, operationId)).content?.["application/json"]?.schema as OpenAPIV3.SchemaObject | undefined;
  if (!schema) throw new Error(`the spec declares no application/json response ${status} for ${operationId}`);
  return schema;
}

function errorsOf(validate: ValidateFunction, value: unknown, prefix = ""): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${prefix}${e.instancePath || "/"} ${e.message ?? e.keyword}`);
}

/**
 * Ajv's errors for `body` against the declared schema of `status`, or `[]` if valid. A response
 * declared without content (delete's 204) allows only no body (`undefined`).
 */
export async function responseErrors(status: number, body: unknown, operationId: OperationId = "listBackgroundTasks"): Promise<string[]> {
  const response = await declaredResponse(status, operationId);
  if (response.content === undefined) {
    return body === undefined ? [] : [`/ the spec declares no body for ${operationId} ${status}, got ${JSON.stringify(body)}`];
  }
  const key = `response:${operationId}:${status}`;
  let validate = validators.get(key);
  if (!validate) {
    validate = schemaValidator(await responseSchema(status, operationId));
    validators.set(key, validate);
  }
  return errorsOf(validate, body);
}

/** Throws unless `body` matches the schema the spec declares for `operationId` answering `status`. */
export async function assertMatchesSpec(status: number, body: unknown, operationId: OperationId = "listBackgroundTasks"): Promise<void> {
  const errors = await responseErrors(status, body, operationId);
  if (errors.length > 0) {
    throw new Error(`${operationId} response ${status} does not match the spec:\n  ${errors.join("\n  ")}\nbody: ${JSON.stringify(body)}`);
  }
}

/**
 * Ajv's errors for a parameter's value (typed: a number for `start`/`limit`, the string for
 * `begin_time`/`end_time` and the ids) against the parameter's schema in the spec, or `[]` if valid.
 */
export async function parameterErrors(name: string, value: unknown, operationId: OperationId = "listBackgroundTasks"): Promise<string[]> {
  const key = `parameter:${operationId}:${name}`;
  let validate = validators.get(key);
  if (!validate) {
    const { item, op } = await findOperation(operationId);
    const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])] as OpenAPIV3.ParameterObject[];
    const schema = parameters.find((p) => p.name === name)?.schema;
    if (!schema) throw new Error(`the spec declares no parameter ${name} with a schema for ${operationId}`);
    validate = schemaValidator(schema);
    validators.set(key, validate);
  }
  return errorsOf(validate, value, name);
}
