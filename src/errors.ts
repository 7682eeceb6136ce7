/**
 * The errors the client throws. None of them ever carries a credential: validation messages
 * never echo credential values, and every string taken from a response body goes through a
 * redactor (a misbehaving gateway or proxy may echo request headers back).
 */

/** The base class of every error the package throws: one `instanceof` check catches them all. */
export class DmsError extends Error {
  override readonly name: string = "DmsError";
}

/** Bad input, thrown before any request is sent. `argument` names the offending option. */
export class DmsValidationError extends DmsError {
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
export class DmsApiError extends DmsError {
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

/**
 * The request never produced a response: connection failure, reset, or per-attempt timeout.
 *
 * `cause` (not on a timeout) is a sanitized copy of what fetch threw, never the original: an
 * Error with the original's `name`, `message` and `code`, redacted, and its own `cause` copied
 * the same way (up to {@link MAX_CAUSE_DEPTH} levels). A fetch (an injected one especially) may
 * put the request, headers included, into its error; the copy keeps only what is useful.
 */
export class DmsNetworkError extends DmsError {
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

/**
 * `errorCode` of the DmsApiError (status 404) that getBackgroundTask raises when the server
 * answers 200 with an empty `tasks` array: no source says whether an unknown task id gets a 404
 * or an empty list, so both end as a 404 for the caller.
 */
export const TASK_NOT_FOUND = "TaskNotFound";

/** The minimal task view the wait errors need (the generated BackgroundTask satisfies it). */
interface TaskLike {
  id: string;
  status?: string | undefined;
}

/** A status fit for a message: the documented upper-case words, else a neutral placeholder. */
function statusText(status: string | undefined): string {
  if (status === undefined) return "no status";
  return /^[A-Z_]{1,32}$/.test(status) ? status : "an unrecognised status";
}

/** A waited task ended `FAILED`, `CANCELLED` or `DELETED` (waitForBackgroundTask). */
export class DmsTaskFailedError<Task extends TaskLike = TaskLike> extends DmsError {
  override readonly name = "DmsTaskFailedError";
  /** The task as last read, with its terminal status. */
  readonly task: Task;
  /** `FAILED`, `CANCELLED` or `DELETED`. */
  readonly status: string;

  constructor(task: Task, status: string) {
    super(`Task ${task.id} ended with status ${statusText(status)}`);
    this.task = task;
    this.status = status;
  }
}

/**
 * waitForBackgroundTask ran out of `timeoutMs` before the task reached a terminal status.
 * `lastStatus` is the status of the last successful read (undefined when none succeeded); when
 * the last poll failed (a network error, a 5xx, a 404 in the grace period), `cause` is its error.
 */
export class DmsWaitTimeoutError<Task extends TaskLike = TaskLike> extends DmsError {
  override readonly name = "DmsWaitTimeoutError";
  readonly taskId: string;
  readonly lastStatus: string | undefined;
  /** The task as last read, if any read succeeded. */
  readonly task: Task | undefined;
  readonly timeoutMs: number;
  /** Polls started, the one cut short by the deadline included. */
  readonly polls: number;

  constructor(taskId: string, task: Task | undefined, timeoutMs: number, polls: number, options?: { cause?: unknown }) {
    const seen = task === undefined ? "no status read yet" : `last status ${statusText(task.status)}`;
    super(`Task ${taskId} did not finish within ${timeoutMs} ms (${seen}, ${polls} polls)`, options);
    this.taskId = taskId;
    this.lastStatus = task?.status;
    this.task = task;
    this.timeoutMs = timeoutMs;
    this.polls = polls;
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
const MAX_REQUEST_ID_CHARS = 128;

export type Redact = (s: string) => string;

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max) + "…";
}

/** Any run of 64 or more hex digits: see makeRedactor. */
const HEX_RUN = /[0-9A-Fa-f]{64,}/g;

/**
 * Replaces every secret with `[REDACTED]`, so nothing a server (or an injected fetch) echoes
 * back can leak a credential into an error.
 *
 * - Secrets (token, secret key, security token) are replaced by value, in the forms an echo
 *   may take: as sent, JSON-escaped (inside a re-serialised body) and percent-encoded. The
 *   client only accepts secrets of at least MIN_SECRET_CHARS characters (validate.ts): a
 *   shorter one could occur in ordinary text and could not be removed without garbling it.
 * - An Authorization value (`SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>,
 *   Signature=<hex>`) holds one secret-derived part, the signature: 64 hex digits. Every run of
 *   64 or more hex digits is replaced, whatever precedes it (`Signature=`, `signature: `, a
 *   JSON quote, `%3D`) and in either case. That is the simplest rule that needs no state (no
 *   record of the signatures sent, which concurrent calls would share) and misses no echo
 *   form; its cost is that an unrelated 64-hex value (a SHA-256 digest) in an error message
 *   is redacted too. The access key is not a secret and is kept.
 */
export function makeRedactor(secrets: readonly (string | undefined)[]): Redact {
  const list: string[] = [];
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]) {
      if (!list.includes(form)) list.push(form);
    }
  }
  list.sort((a, b) => b.length - a.length);
  return (s) => {
    for (const secret of list) if (s.includes(secret)) s = s.replaceAll(secret, "[REDACTED]");
    return s.replace(HEX_RUN, "[REDACTED]");
  };
}

/** The X-Request-Id header, redacted and truncated; undefined when absent or empty. */
export function requestIdOf(headers: Headers, redact: Redact): string | undefined {
  const id = headers.get("x-request-id");
  return id ? truncate(redact(id), MAX_REQUEST_ID_CHARS) : undefined;
}

/** How many levels of `cause` sanitizedError copies. */
export const MAX_CAUSE_DEPTH = 3;

/**
 * A copy of a thrown value that is safe to keep (see DmsNetworkError): a new Error with the
 * original's name, message and string or numeric `code`, each redacted, and its `cause` copied
 * the same way up to MAX_CAUSE_DEPTH levels. Nothing else of the original is kept.
 */
export function sanitizedError(thrown: unknown, redact: Redact, depth = 1): Error {
  const source = typeof thrown === "object" && thrown !== null ? (thrown as Record<string, unknown>) : undefined;
  const isError = thrown instanceof Error;
  const copy = new Error(redact(isError ? safeString(() => thrown.message) : safeString(() => String(thrown))));
  if (isError) {
    const name = safeString(() => thrown.name);
    if (name !== "" && name !== "Error") copy.name = redact(name);
  }
  const code = source && safeGet(source, "code");
  if (typeof code === "string" || typeof code === "number") (copy as Error & { code?: string }).code = redact(String(code));
  const cause = isError ? safeGet(source!, "cause") : undefined;
  if (cause !== undefined && depth < MAX_CAUSE_DEPTH) copy.cause = sanitizedError(cause, redact, depth + 1);
  return copy;
}

/** A property read that cannot throw (a hostile getter or proxy reads as undefined). */
function safeGet(o: Record<string, unknown>, key: string): unknown {
  try {
    return o[key];
  } catch {
    return undefined;
  }
}

function safeString(read: () => unknown): string {
  try {
    return String(read());
  } catch {
    return "";
  }
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
    bodyRequestId = clean(body.request_id ?? nested?.request_id, MAX_REQUEST_ID_CHARS);
    encoded = clean(body.encoded_authorization_message ?? nested?.encoded_authorization_message, MAX_ENCODED_AUTH_CHARS);
    if (errorCode === undefined && errorMsg === undefined) bodySnippet = snippet(JSON.stringify(body), redact);
  } else if (typeof body === "string" && body.trim() !== "") {
    bodySnippet = snippet(body, redact);
  } else if (body !== undefined && typeof body !== "string") {
    bodySnippet = snippet(JSON.stringify(body), redact); // a JSON array, number, ...
  }

  return new DmsApiError({
    status,
    errorCode,
    errorMsg,
    requestId: requestIdOf(headers, redact) ?? bodyRequestId,
    encodedAuthorizationMessage: encoded,
    bodySnippet,
  });
}

/** Whitespace collapsed (HTML error pages), redacted, then cut to a short snippet. */
export function snippet(text: string, redact: Redact): string {
  return truncate(redact(text.replace(/\s+/g, " ").trim()), SNIPPET_CHARS);
}
