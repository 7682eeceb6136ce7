/**
 * Retry policy: which failures are retried and how long to wait, and the time primitives the
 * loop and the wait share (sleep, timeLimit). The loop itself is in request.ts, around the
 * openapi-fetch call, so every attempt builds a fresh Request and goes through the signing
 * middleware again (fresh X-Sdk-Date).
 */
import { checkInt, checkKnownKeys, checkMs, checkObject } from "./validate.js";

export interface RetryOptions {
  /** Attempts in total, first one included (1 = no retry). Default 3, at most 20. */
  maxAttempts?: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^(n-1))). Default 500. */
  baseDelayMs?: number;
  /** Cap of any wait, `Retry-After` included. Default 20000. */
  maxDelayMs?: number;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: Readonly<RetryPolicy> = Object.freeze({ maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 20_000 });
const NO_RETRY: Readonly<RetryPolicy> = Object.freeze({ ...DEFAULT_RETRY, maxAttempts: 1 });
const RETRY_KEYS = new Set(["maxAttempts", "baseDelayMs", "maxDelayMs"]);

export function checkRetry(value: unknown): RetryPolicy {
  if (value === undefined) return DEFAULT_RETRY;
  if (value === false) return NO_RETRY;
  const r = checkObject("retry", value);
  checkKnownKeys("retry", r, RETRY_KEYS);
  return {
    maxAttempts: r.maxAttempts === undefined ? DEFAULT_RETRY.maxAttempts : checkInt("retry.maxAttempts", r.maxAttempts, 1, 20),
    baseDelayMs: r.baseDelayMs === undefined ? DEFAULT_RETRY.baseDelayMs : checkMs("retry.baseDelayMs", r.baseDelayMs, 0),
    maxDelayMs: r.maxDelayMs === undefined ? DEFAULT_RETRY.maxDelayMs : checkMs("retry.maxDelayMs", r.maxDelayMs, 0),
  };
}

/** Throttling and transient server/gateway failures. Every call is a read or an idempotent DELETE, so a retry is safe. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Capped exponential backoff with full jitter, for the wait after failed attempt `attempt` (1-based). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * `Retry-After` in milliseconds: delay-seconds or an HTTP-date (relative to `nowMs`).
 * Undefined when absent or unreadable; never negative. The caller caps it.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return undefined; // HTTP-dates always name a day/month
  return Math.max(0, at - nowMs);
}

/** The wait before the next attempt: Retry-After when given, else jittered backoff; capped. */
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs: number | undefined, random: () => number): number {
  const ms = retryAfterMs ?? backoffDelay(attempt, policy, random);
  return Math.min(ms, policy.maxDelayMs);
}

export type Sleep = (ms: number, signal: AbortSignal | undefined) => Promise<void>;

/**
 * setTimeout as a promise that rejects with `signal.reason` the moment the signal aborts. The
 * listener goes on a signal of its own (AbortSignal.any), never on the caller's, so one signal
 * shared by hundreds of waiting calls gets no MaxListenersExceededWarning.
 */
export const sleep: Sleep = (ms, callerSignal) =>
  new Promise<void>((resolve, reject) => {
    if (callerSignal?.aborted) return reject(callerSignal.reason);
    const signal = callerSignal && AbortSignal.any([callerSignal]);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/**
 * A signal for one bounded piece of work (an attempt, a poll): it aborts with `reason` after `ms`,
 * or with the caller's reason when the caller's signal aborts. AbortSignal.any, not a listener on
 * the caller's signal (see sleep). `expired()` tells the time limit from the caller's abort;
 * `clear()` stops the timer once the work is done.
 */
export function timeLimit(ms: number, reason: unknown, callerSignal: AbortSignal | undefined) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(reason), ms);
  return {
    signal: callerSignal ? AbortSignal.any([callerSignal, controller.signal]) : controller.signal,
    expired: () => controller.signal.aborted,
    clear: () => clearTimeout(timer),
  };
}

/**
 * Whether a request that got no response may succeed if tried again, from what fetch threw
 * (the per-attempt timeout is decided in client.ts, and retried). Only failures that can heal
 * are retried: a refused or reset connection, a socket or connect timeout, a temporary DNS
 * failure. Everything else fails at once: an invalid URL or a port fetch blocks, an unknown
 * host, a TLS certificate error, an oversized body, and anything not recognised, since
 * repeating an error that cannot heal only delays it. Pure: it reads `code` (and undici's
 * "bad port" message) down the `cause` chain.
 */
export function isRetryableFailure(thrown: unknown): boolean {
  for (const { code } of causeChain(thrown)) if (code !== undefined && HEALING_CODES.has(code)) return true;
  return false;
}

/** A plain-words reason for failures whose own message is cryptic (undici's "bad port"). */
export function failureHint(thrown: unknown): string | undefined {
  for (const { message } of causeChain(thrown)) {
    if (message === "bad port") {
      return "the endpoint's port is one that fetch refuses to connect to (a \"bad port\" of the Fetch standard, such as 1, 22 or 6000); use another port";
    }
  }
  return undefined;
}

/** Error codes of failures that can heal. */
const HEALING_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN", // DNS temporarily unavailable (ENOTFOUND, the host does not exist, is not retried)
  "UND_ERR_SOCKET", // the other side closed the connection
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
]);

const MAX_CAUSES = 5;

/** `code` and `message` of `thrown` and its causes (a few levels; a cycle ends there). */
function causeChain(thrown: unknown): { code: string | undefined; message: string | undefined }[] {
  const out: { code: string | undefined; message: string | undefined }[] = [];
  let e = thrown;
  for (let i = 0; i < MAX_CAUSES && typeof e === "object" && e !== null; i++) {
    const { code, message, cause } = readSafely(e as Record<string, unknown>);
    out.push({ code: typeof code === "string" ? code : undefined, message: typeof message === "string" ? message : undefined });
    e = cause;
  }
  return out;
}

/** Reads that cannot throw (a hostile getter or proxy reads as undefined). */
function readSafely(o: Record<string, unknown>): { code: unknown; message: unknown; cause: unknown } {
  const get = (k: string) => {
    try {
      return o[k];
    } catch {
      return undefined;
    }
  };
  return { code: get("code"), message: get("message"), cause: get("cause") };
}
