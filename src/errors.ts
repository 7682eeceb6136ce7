/**
 * The errors the client throws. None of them ever carries a credential: validation messages
 * never echo credential values, and every string taken from a response body goes through a
 * redactor (redact.ts: a misbehaving gateway or proxy may echo request headers back).
 */
import type { SchemaBackgroundTask } from "../generated/schema.js";

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

/** The server's errorCode for "This instance does not exist" (an HTTP 404 that no retry or wait cures). */
export const INSTANCE_NOT_FOUND = "DMS.00404022";

/** A status fit for a message: the documented upper-case words, else a neutral placeholder. */
function statusText(status: string | undefined): string {
  if (status === undefined) return "no status";
  return /^[A-Z_]{1,32}$/.test(status) ? status : "an unrecognised status";
}

/** A waited task ended `FAILED`, `CANCELLED` or `DELETED` (waitForBackgroundTask). */
export class DmsTaskFailedError extends DmsError {
  override readonly name = "DmsTaskFailedError";
  /** The task as last read, with its terminal status. */
  readonly task: SchemaBackgroundTask;
  /** `FAILED`, `CANCELLED` or `DELETED`. */
  readonly status: string;

  constructor(task: SchemaBackgroundTask, status: string) {
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
export class DmsWaitTimeoutError extends DmsError {
  override readonly name = "DmsWaitTimeoutError";
  readonly taskId: string;
  readonly lastStatus: string | undefined;
  /** The task as last read, if any read succeeded. */
  readonly task: SchemaBackgroundTask | undefined;
  readonly timeoutMs: number;
  /** Polls started, the one cut short by the deadline included. */
  readonly polls: number;

  constructor(taskId: string, task: SchemaBackgroundTask | undefined, timeoutMs: number, polls: number, options?: { cause?: unknown }) {
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
