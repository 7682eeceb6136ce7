/**
 * The errors the client throws. None of them ever carries a credential: validation messages
 * never echo credential values, and every string taken from a response body goes through a
 * redactor (a misbehaving gateway or proxy may echo request headers back).
 */

/** Bad input, thrown before any request is sent. `argument` names the offending option. */
export class DmsValidationError extends Error {
  override readonly name = "DmsValidationError";
  /** The argument at fault, e.g. `instanceId`, `credentials.secretKey`, `retry.maxAttempts`. */
  readonly argument: string;
  /** Why it was rejected. */
  readonly reason: string;

  constructor(argument: string, reason: string) {
    super(`Invalid ${argument}: ${reason}`);
    this.argument = argument;
    this.reason = reason;
  }
}

export interface DmsApiErrorFields {
  status: number;
  errorCode?: string | undefined;
  errorMsg?: string | undefined;
  requestId?: string | undefined;
  encodedAuthorizationMessage?: string | undefined;
  /** Start of a body that was not a recognised error document (non-JSON, unknown shape). */
  bodySnippet?: string | undefined;
}

/**
 * A non-2xx response, or a 2xx response whose body does not have the documented shape
 * (`status` 200, `errorCode` {@link INVALID_RESPONSE}).
 */
export class DmsApiError extends Error {
  override readonly name = "DmsApiError";
  readonly status: number;
  readonly errorCode: string | undefined;
  readonly errorMsg: string | undefined;
  readonly requestId: string | undefined;
  readonly encodedAuthorizationMessage: string | undefined;
  readonly bodySnippet: string | undefined;

  constructor(fields: DmsApiErrorFields) {
    super(apiErrorMessage(fields));
    this.status = fields.status;
    this.errorCode = fields.errorCode;
    this.errorMsg = fields.errorMsg;
    this.requestId = fields.requestId;
    this.encodedAuthorizationMessage = fields.encodedAuthorizationMessage;
    this.bodySnippet = fields.bodySnippet;
  }
}

/** `errorCode` of a DmsApiError raised for a 2xx response that does not match the schema. */
export const INVALID_RESPONSE = "InvalidResponse";

/** The request never produced a response: connection failure, reset, or per-attempt timeout. */
export class DmsNetworkError extends Error {
  override readonly name = "DmsNetworkError";
  /** True when the last attempt hit `timeoutMs`. */
  readonly timedOut: boolean;
  /** Attempts made, retries included. */
  readonly attempts: number;

  constructor(message: string, timedOut: boolean, attempts: number, options?: { cause?: unknown }) {
    super(message, options);
    this.timedOut = timedOut;
    this.attempts = attempts;
  }
}

function apiErrorMessage(f: DmsApiErrorFields): string {
  let m = `DMS API error: HTTP ${f.status}`;
  if (f.errorCode) m += ` ${f.errorCode}`;
  if (f.errorMsg) m += `: ${f.errorMsg}`;
  else if (f.bodySnippet) m += `: ${f.bodySnippet}`;
  else if (!f.errorCode) m += " (empty body)";
  if (f.requestId) m += ` (request id ${f.requestId})`;
  return m;
}

// ---------------------------------------------------------------------------------------------
// Reading error bodies.

const SNIPPET_CHARS = 200;
const MAX_FIELD_CHARS = 2048; // the spec's maxLength of error_msg
const MAX_ENCODED_AUTH_CHARS = 8192;

export type Redact = (s: string) => string;

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max) + "…";
}

/**
 * Replaces every secret with `[REDACTED]`, and any `Signature=<hex>` (an Authorization value),
 * so nothing a server echoes back can leak a credential into an error.
 */
export function makeRedactor(secrets: readonly (string | undefined)[]): Redact {
  const list: string[] = [];
  for (const s of secrets) {
    if (!s) continue;
    list.push(s);
    const escaped = JSON.stringify(s).slice(1, -1); // as it appears inside a re-serialised body
    if (escaped !== s) list.push(escaped);
  }
  list.sort((a, b) => b.length - a.length);
  return (s) => {
    for (const secret of list) if (s.includes(secret)) s = s.replaceAll(secret, "[REDACTED]");
    return s.replace(/Signature=[0-9A-Fa-f]+/g, "Signature=[REDACTED]");
  };
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Builds the DmsApiError of a non-2xx response. `body` is what openapi-fetch hands back: the
 * parsed JSON, the raw text when it was not JSON, or undefined when empty. Understands
 * `{error_code, error_msg}`, `{error: {code, message}}` and `{code, message}`, each with optional
 * `request_id` and `encoded_authorization_message`. Redaction happens before truncation so a
 * cut can never leave part of a secret behind.
 */
export function apiErrorFromBody(status: number, headers: Headers, body: unknown, redact: Redact): DmsApiError {
  const clean = (v: unknown, max = MAX_FIELD_CHARS): string | undefined => {
    const s = str(v);
    return s === undefined ? undefined : truncate(redact(s), max);
  };
  let errorCode: string | undefined;
  let errorMsg: string | undefined;
  let bodyRequestId: string | undefined;
  let encoded: string | undefined;
  let bodySnippet: string | undefined;

  if (isObject(body)) {
    const nested = isObject(body.error) ? body.error : undefined;
    errorCode = clean(body.error_code ?? nested?.code ?? body.code, 64);
    errorMsg = clean(body.error_msg ?? nested?.message ?? body.message);
    bodyRequestId = clean(body.request_id ?? nested?.request_id, 128);
    encoded = clean(body.encoded_authorization_message ?? nested?.encoded_authorization_message, MAX_ENCODED_AUTH_CHARS);
    if (errorCode === undefined && errorMsg === undefined) bodySnippet = snippet(JSON.stringify(body), redact);
  } else if (typeof body === "string" && body.trim() !== "") {
    bodySnippet = snippet(body, redact);
  } else if (body !== undefined && typeof body !== "string") {
    bodySnippet = snippet(JSON.stringify(body), redact); // a JSON array, number, ...
  }

  const headerRequestId = headers.get("x-request-id");
  return new DmsApiError({
    status,
    errorCode,
    errorMsg,
    requestId: headerRequestId ? truncate(redact(headerRequestId), 128) : bodyRequestId,
    encodedAuthorizationMessage: encoded,
    bodySnippet,
  });
}

/** Whitespace collapsed (HTML error pages), redacted, then cut to a short snippet. */
export function snippet(text: string, redact: Redact): string {
  return truncate(redact(text.replace(/\s+/g, " ").trim()), SNIPPET_CHARS);
}
