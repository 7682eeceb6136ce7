/**
 * The one request path every method shares: `createRequester` returns `send(spec)`, which runs
 * the retry loop around `attempt` (one openapi-fetch call, bounded by the per-attempt timeout
 * and the caller's signal) and hands a 2xx body to the method's check (`spec.parse`). Every
 * attempt goes through openapi-fetch again, so the auth middleware signs each one afresh.
 */
import type { Client } from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { DmsApiError, DmsNetworkError, DmsValidationError, INSTANCE_NOT_FOUND } from "./errors.js";
import { apiErrorFromBody, sanitizedError, type Redact } from "./redact.js";
import {
  failureHint,
  isRetryableFailure,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  timeLimit,
  type RetryPolicy,
  type Sleep,
} from "./retry.js";

/** The query of the list (the only operation with one). */
export interface Query {
  start?: number;
  limit?: number;
  begin_time?: string;
  end_time?: string;
}

export interface RequestSpec<T> {
  method: "GET" | "DELETE";
  path: keyof paths;
  /** Path parameters other than `project_id` (filled in here). */
  params: Record<string, string>;
  query?: Query | undefined;
  signal: AbortSignal | undefined;
  /** Turns a 2xx response into the method's checked value, or throws a DmsApiError (response.ts). */
  parse: (text: string | undefined, response: Response) => T;
  /**
   * For an idempotent DELETE: resolve with `value` when a retry gets 404 after an earlier attempt
   * whose outcome is unknown (see OUTCOME_UNKNOWN_STATUSES), since the target is then gone.
   */
  goneAfterUnknown?: { value: T };
}

export type Send = <T>(spec: RequestSpec<T>) => Promise<T>;

export interface RequesterConfig {
  api: Client<paths>;
  projectId: string;
  timeoutMs: number;
  policy: RetryPolicy;
  now: () => Date;
  redact: Redact;
  random: () => number;
  sleep: Sleep;
}

/**
 * Answers after which a request may or may not have taken effect: the gateway gave up on the
 * backend (502, 504). An attempt with no answer at all (timeout, reset) is unknown too.
 */
const OUTCOME_UNKNOWN_STATUSES = new Set([502, 504]);

/** Abort reason of a per-attempt timeout. */
const TIMEOUT = new DOMException("The attempt timed out", "TimeoutError");

type Outcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: DmsApiError; retryAfterMs: number | undefined }
  | { ok: false; error: undefined; cause: unknown; timedOut: boolean };

/** openapi-fetch's `request`, seen through the fields used here (paths are checked by RequestSpec). */
type RawRequest = (
  method: string,
  path: string,
  init: { params: { path: Record<string, string>; query?: Query | undefined }; signal: AbortSignal; parseAs: "text" },
) => Promise<{ data?: string; error?: unknown; response: Response }>;

export function createRequester(c: RequesterConfig): Send {
  const raw = c.api.request as unknown as RawRequest;

  async function attempt<T>(spec: RequestSpec<T>): Promise<Outcome<T>> {
    const signal = spec.signal;
    // One signal per attempt: the timeout and the caller's signal both abort it at once,
    // covering the body read too (openapi-fetch reads it before returning).
    const limit = timeLimit(c.timeoutMs, TIMEOUT, signal);
    try {
      const call = raw(spec.method, spec.path, {
        params: { path: { project_id: c.projectId, ...spec.params }, query: spec.query },
        signal: limit.signal,
        parseAs: "text", // parsed by spec.parse, so a non-JSON 200 still yields status and request id
      });
      const { data, error, response } = await untilAborted(call, limit.signal);
      if (response.ok) return { ok: true, value: spec.parse(data, response) };
      const retryAfter = isRetryableStatus(response.status) ? response.headers.get("retry-after") : null;
      return {
        ok: false,
        error: apiErrorFromBody(response.status, response.headers, error, c.redact),
        retryAfterMs: retryAfter === null ? undefined : parseRetryAfter(retryAfter, c.now().getTime()),
      };
    } catch (e) {
      if (signal?.aborted) throw signal.reason; // the caller's abort is never retried
      if (e instanceof DmsApiError || e instanceof DmsValidationError) throw e;
      return { ok: false, error: undefined, cause: e, timedOut: limit.expired() };
    } finally {
      limit.clear();
    }
  }

  return async function send<T>(spec: RequestSpec<T>): Promise<T> {
    const signal = spec.signal;
    if (signal?.aborted) throw signal.reason;
    let unknownOutcome = false;
    for (let n = 1; ; n++) {
      const outcome = await attempt(spec);
      if (outcome.ok) return outcome.value;
      const last = n >= c.policy.maxAttempts;
      if (outcome.error) {
        const status = outcome.error.status;
        // The instance's own 404 is not "the task is gone": nothing in a missing instance was deleted.
        const gone = status === 404 && outcome.error.errorCode !== INSTANCE_NOT_FOUND;
        if (gone && unknownOutcome && spec.goneAfterUnknown) return spec.goneAfterUnknown.value;
        if (OUTCOME_UNKNOWN_STATUSES.has(status)) unknownOutcome = true;
        if (last || !isRetryableStatus(status)) throw outcome.error;
        await c.sleep(retryDelay(n, c.policy, outcome.retryAfterMs, c.random), signal);
      } else {
        unknownOutcome = true;
        // Only failures that can heal are retried (retry.ts); a timeout always can.
        if (last || !(outcome.timedOut || isRetryableFailure(outcome.cause))) {
          throw networkError(outcome.cause, outcome.timedOut, n, c.timeoutMs, c.redact);
        }
        await c.sleep(retryDelay(n, c.policy, undefined, c.random), signal);
      }
    }
  };
}

/**
 * `promise`, or a rejection with the signal's reason the moment it aborts. A fetch that does not
 * honour its signal (an injected one, or Node 20's own fetch reading a corrupt deflate body on a
 * reused connection, which then never settles) cannot make a call outlive its timeout or abort.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/**
 * The DmsNetworkError of the last attempt. What fetch threw is never kept as is: its message
 * and cause chain are copied, redacted (sanitizedError), and the message is built from the copy.
 */
function networkError(cause: unknown, timedOut: boolean, attempts: number, timeoutMs: number, redact: Redact): DmsNetworkError {
  const tries = attempts === 1 ? "" : ` (${attempts} attempts)`;
  if (timedOut) return new DmsNetworkError(`Request timed out after ${timeoutMs} ms${tries}`, true, attempts);
  const safe = sanitizedError(cause, redact);
  const hint = failureHint(cause);
  return new DmsNetworkError(`Request failed without a response${tries}: ${describe(safe)}${hint ? ` (${hint})` : ""}`, false, attempts, {
    cause: safe,
  });
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:4010" — undici hides the useful part in `cause`. */
function describe(e: Error): string {
  const inner = e.cause instanceof Error ? `: ${e.cause.message}` : "";
  return e.message + inner;
}

// ---------------------------------------------------------------------------------------------
// Serialisation. openapi-fetch ignores the spec's style/explode and leaves a missing path
// parameter as "{name}", so both are done here.

/** The list's four primitive query parameters (form, explode), in the reference page's order. */
export function querySerializer(q: Query): string {
  let s = "";
  if (q.start !== undefined) s += "&start=" + q.start;
  if (q.limit !== undefined) s += "&limit=" + q.limit;
  if (q.begin_time !== undefined) s += "&begin_time=" + encodeURIComponent(q.begin_time);
  if (q.end_time !== undefined) s += "&end_time=" + encodeURIComponent(q.end_time);
  return s.slice(1);
}

export function pathSerializer(pathname: string, params: Record<string, unknown>): string {
  return pathname.replace(/\{([^{}]+)\}/g, (_, name: string) => encodePathSegment(name, params[name]));
}

/**
 * One path segment, encoded so it can never change the path: everything but RFC 3986
 * unreserved characters is %XX (so "/", "?", "#", "%" stay inside the segment), and the dot
 * segments "." and ".." (which URL parsing would resolve even when %2E-encoded) are refused.
 * Ids are validated long before this; this is the last line of defence.
 */
export function encodePathSegment(argument: string, value: unknown): string {
  if (typeof value !== "string" || value === "" || value === "." || value === "..") {
    throw new DmsValidationError(argument, "is not a usable path segment");
  }
  let encoded: string;
  try {
    encoded = encodeURIComponent(value);
  } catch {
    throw new DmsValidationError(argument, "is not well-formed Unicode");
  }
  return encoded.replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}
