/**
 * Input checks, run before anything is sent. Each failure is a DmsValidationError naming the
 * argument; values are never echoed (they may be credentials pasted in the wrong place).
 */
import type { SchemaBackgroundTask, SchemaListBackgroundTasksResponse } from "../generated/schema.js";
import { DmsValidationError } from "./errors.js";
import { queryTimeArg } from "./time.js";

/** spec/components/parameters/{ProjectId,InstanceId}.yaml */
const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export const MAX_INT32 = 2147483647;
/** setTimeout fires at once for delays above this, so larger timeouts/delays are refused. */
export const MAX_TIMER_MS = 2147483647;

export function checkObject(argument: string, value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DmsValidationError(argument, "must be an object");
  }
  return value as Record<string, unknown>;
}

/** Rejects misspelled or wire-named keys (e.g. `begin_time`) that would otherwise be ignored. */
export function checkKnownKeys(argument: string, value: Record<string, unknown>, known: ReadonlySet<string>): void {
  for (const key in value) {
    if (!known.has(key)) throw new DmsValidationError(`${argument}.${key}`, "is not a known option");
  }
}

export function checkId(argument: string, value: unknown): string {
  if (typeof value !== "string" || !ID_RE.test(value)) {
    throw new DmsValidationError(argument, "must be 1 to 64 characters of A-Z, a-z, 0-9, '_' or '-'");
  }
  return value;
}

export function checkInt(argument: string, value: unknown, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new DmsValidationError(argument, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A finite number of milliseconds in [min, MAX_TIMER_MS]. */
export function checkMs(argument: string, value: unknown, min: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > MAX_TIMER_MS) {
    throw new DmsValidationError(argument, `must be a finite number of milliseconds from ${min} to ${MAX_TIMER_MS}`);
  }
  return value;
}

export function checkSignal(argument: string, value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (value instanceof AbortSignal) return value;
  throw new DmsValidationError(argument, "must be an AbortSignal");
}

export function checkFunction<T extends (...args: never[]) => unknown>(argument: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") throw new DmsValidationError(argument, "must be a function");
  return value as T;
}

/** Visible ASCII only: safe in a header value and free of whitespace (see the redactor). */
const CREDENTIAL_RE = /^[\x21-\x7e]+$/;

/**
 * The shortest token, secret key or security token accepted. Errors keep text a server sent
 * back only after removing every occurrence of these secrets (errors.ts, makeRedactor); a short
 * one ("t", "any") occurs in ordinary text, so it could neither be told apart from an echo nor
 * removed without garbling the message. Real ones are far longer (a secret key has 40
 * characters, IAM and security tokens hundreds or thousands); against a mock, any 16 visible
 * characters will do. The access key is not a secret, is never redacted and has no minimum.
 */
export const MIN_SECRET_CHARS = 16;

function checkCredential(argument: string, value: unknown, minLength = 1): string {
  if (typeof value !== "string" || value === "") throw new DmsValidationError(argument, "must be a non-empty string");
  if (!CREDENTIAL_RE.test(value)) {
    throw new DmsValidationError(argument, "must contain only visible ASCII characters (no spaces or line breaks)");
  }
  if (value.length < minLength) {
    throw new DmsValidationError(
      argument,
      `must be at least ${minLength} characters, so that it can be redacted from error messages (real ones are ` +
        `much longer; with a mock server, use any ${minLength} or more characters)`,
    );
  }
  return value;
}

const checkSecret = (argument: string, value: unknown) => checkCredential(argument, value, MIN_SECRET_CHARS);

export type CheckedCredentials =
  | { kind: "aksk"; accessKey: string; secretKey: string; securityToken: string | undefined }
  | { kind: "token"; token: string };

const AKSK_KEYS = new Set(["accessKey", "secretKey", "securityToken"]);
const TOKEN_KEYS = new Set(["token"]);

/** Exactly one of `{ accessKey, secretKey, securityToken? }` or `{ token }`. */
export function checkCredentials(value: unknown): CheckedCredentials {
  const c = checkObject("credentials", value);
  if ("token" in c) {
    if ("accessKey" in c || "secretKey" in c || "securityToken" in c) {
      throw new DmsValidationError("credentials", "give either { token } or { accessKey, secretKey[, securityToken] }, not both");
    }
    checkKnownKeys("credentials", c, TOKEN_KEYS);
    return { kind: "token", token: checkSecret("credentials.token", c.token) };
  }
  if (!("accessKey" in c) && !("secretKey" in c)) {
    throw new DmsValidationError("credentials", "give either { token } or { accessKey, secretKey[, securityToken] }");
  }
  checkKnownKeys("credentials", c, AKSK_KEYS);
  return {
    kind: "aksk",
    accessKey: checkCredential("credentials.accessKey", c.accessKey),
    secretKey: checkSecret("credentials.secretKey", c.secretKey),
    securityToken: c.securityToken === undefined ? undefined : checkSecret("credentials.securityToken", c.securityToken),
  };
}

// ---------------------------------------------------------------------------------------------
// The arguments of each public method, as a table: option name -> checker. `checkArgs` refuses
// unknown names, runs every checker in table order and returns the typed, checked value.

/** Checks one option; `argument` is its name, for the error. */
export type Checker<T> = (argument: string, value: unknown) => T;
type Table = Record<string, Checker<unknown>>;
export type Checked<T extends Table> = { [K in keyof T]: ReturnType<T[K]> };

export function checkArgs<T extends Table>(table: T, value: unknown, argument = "options"): Checked<T> {
  const o = checkObject(argument, value);
  for (const key in o) {
    if (!Object.hasOwn(table, key)) throw new DmsValidationError(`${argument}.${key}`, "is not a known option");
  }
  const out: Record<string, unknown> = {};
  for (const key in table) out[key] = table[key]!(key, o[key]);
  return out as Checked<T>;
}

/** The checker, or undefined when the option is absent. */
export const optional =
  <T>(check: Checker<T>): Checker<T | undefined> =>
  (argument, value) =>
    value === undefined ? undefined : check(argument, value);

/** The checker, or `fallback` when the option is absent. */
export const withDefault =
  <T>(check: Checker<T>, fallback: T): Checker<T> =>
  (argument, value) =>
    value === undefined ? fallback : check(argument, value);

export const id: Checker<string> = checkId;
export const int =
  (min: number, max: number): Checker<number> =>
  (argument, value) =>
    checkInt(argument, value, min, max);
export const ms =
  (min: number): Checker<number> =>
  (argument, value) =>
    checkMs(argument, value, min);
export const signal: Checker<AbortSignal | undefined> = checkSignal;
export const queryTime: Checker<string | undefined> = optional(queryTimeArg);
export const callback = <T extends (...args: never[]) => unknown>(): Checker<T | undefined> => checkFunction<T>;

/** Smallest pollIntervalMs: a wait must not hammer the API (Terraform polls every 2 to 30 s). */
export const MIN_POLL_INTERVAL_MS = 100;

const TIME_WINDOW = { beginTime: queryTime, endTime: queryTime };

export const LIST_ARGS = {
  instanceId: id,
  ...TIME_WINDOW,
  start: optional(int(1, MAX_INT32)),
  limit: optional(int(1, 100)),
  signal,
};
export const PAGINATE_ARGS = {
  instanceId: id,
  ...TIME_WINDOW,
  pageSize: withDefault(int(1, 100), 100),
  maxTasks: withDefault(int(1, Number.MAX_SAFE_INTEGER), Infinity),
  signal,
  onPage: callback<(page: SchemaListBackgroundTasksResponse) => unknown>(),
};
/** getBackgroundTask, getBackgroundTaskProgress, deleteBackgroundTask. */
export const TASK_ARGS = { instanceId: id, taskId: id, signal };
export const WAIT_ARGS = {
  instanceId: id,
  taskId: id,
  timeoutMs: optional(ms(1)),
  pollIntervalMs: optional(ms(MIN_POLL_INTERVAL_MS)),
  signal,
  onPoll: callback<(task: SchemaBackgroundTask) => unknown>(),
};
