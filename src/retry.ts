/**
 * Retry policy: which failures are retried and how long to wait. The loop itself is in
 * client.ts, around the openapi-fetch call, so every attempt builds a fresh Request and goes
 * through the signing middleware again (fresh X-Sdk-Date).
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

/** Throttling and transient server/gateway failures. The operation is a read, so always safe. */
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

/** setTimeout as a promise that rejects with `signal.reason` the moment the signal aborts. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
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
