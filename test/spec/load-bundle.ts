// Shared by the spec tests (and free for any other test): the committed bundle, parsed and
// dereferenced, and JSON Schema validation of values against its OpenAPI 3.0 schemas with Ajv.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsPlugin from "ajv-formats";
import type { OpenAPIV3 } from "openapi-types";
import { parse } from "yaml";

export type { OpenAPIV3 };

/** Absolute paths of the committed bundle, the artifact every consumer reads. */
export const bundleFiles = {
  yaml: fileURLToPath(new URL("../../generated/openapi.yaml", import.meta.url)),
  json: fileURLToPath(new URL("../../generated/openapi.json", import.meta.url)),
} as const;

/** The bundle exactly as written, `$ref`s intact (a fresh object on every call). */
export async function loadRawBundle(format: keyof typeof bundleFiles = "yaml"): Promise<OpenAPIV3.Document> {
  const text = await readFile(bundleFiles[format], "utf8");
  return (format === "yaml" ? parse(text) : JSON.parse(text)) as OpenAPIV3.Document;
}

/**
 * The bundle with every `$ref` replaced by its target (a fresh object on every call, so callers
 * may mutate it). Objects referenced from several places are shared, as swagger-parser makes them.
 */
export async function loadBundle(): Promise<OpenAPIV3.Document> {
  return (await SwaggerParser.dereference(await loadRawBundle())) as OpenAPIV3.Document;
}

// ajv-formats is CommonJS whose typings describe only its ES default; at run time Node hands an
// ES module the CommonJS `module.exports`, which is the plugin function itself.
const addFormats = addFormatsPlugin as unknown as (typeof addFormatsPlugin)["default"];

// Strict mode stays on: unknown keywords or formats, `required` names that are not properties and
// keywords on the wrong type are errors in the spec. OpenAPI-only keywords are translated first.
const ajv = new Ajv({ strict: true, allErrors: true });
addFormats(ajv); // date-time (RFC 3339, time zone required), int32, int64, ...

type Schema = OpenAPIV3.SchemaObject | OpenAPIV3.ReferenceObject;

/** OpenAPI 3.0 annotation keywords that JSON Schema (and Ajv's strict mode) does not know. */
const OPENAPI_ONLY = new Set(["example", "nullable", "discriminator", "xml", "externalDocs"]);

/**
 * Translates a dereferenced OpenAPI 3.0 Schema Object into the JSON Schema Ajv validates:
 * `nullable` becomes a `null` type, boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers,
 * annotations (`example`, `x-*`, ...) are dropped. Values (`enum`, `default`) are left untouched.
 */
export function toJsonSchema(schema: Schema): Record<string, unknown> {
  if ("$ref" in schema) throw new Error(`unresolved $ref ${schema.$ref}: dereference the bundle first (loadBundle)`);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema) as [string, unknown][]) {
    if (key.startsWith("x-") || OPENAPI_ONLY.has(key)) continue;
    switch (key) {
      case "properties":
        out[key] = Object.fromEntries(
          Object.entries(value as Record<string, Schema>).map(([name, s]) => [name, toJsonSchema(s)]),
        );
        break;
      case "items":
      case "not":
        out[key] = toJsonSchema(value as Schema);
        break;
      case "additionalProperties":
        out[key] = typeof value === "object" ? toJsonSchema(value as Schema) : value;
        break;
      case "allOf":
      case "anyOf":
      case "oneOf":
        out[key] = (value as Schema[]).map(toJsonSchema);
        break;
      case "exclusiveMinimum":
      case "exclusiveMaximum": {
        const bound = key === "exclusiveMinimum" ? "minimum" : "maximum";
        if (value === true) {
          out[key] = schema[bound];
          delete out[bound];
        } else if (typeof value === "number") {
          out[key] = value; // not 3.0, but harmless
        }
        break;
      }
      case "minimum":
      case "maximum": {
        const exclusive = key === "minimum" ? schema.exclusiveMinimum : schema.exclusiveMaximum;
        if (exclusive !== true) out[key] = value;
        break;
      }
      default:
        out[key] = value;
    }
  }
  if (schema.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    if (out.type === undefined) return { anyOf: [out, { type: "null" }] };
  }
  return out;
}

/** An Ajv validator for one dereferenced OpenAPI 3.0 schema (a Schema Object of loadBundle()). */
export function schemaValidator(schema: Schema): ValidateFunction {
  return ajv.compile(toJsonSchema(schema));
}

/** The validation errors of `value` against `schema`, one readable line each; [] when valid. */
export function schemaErrors(schema: Schema, value: unknown): string[] {
  const validate = schemaValidator(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(describeError);
}

function describeError(e: ErrorObject): string {
  return `${e.instancePath || "(root)"} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`;
}
