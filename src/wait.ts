/**
 * waitForBackgroundTask: polls getBackgroundTask (it makes no request of its own) until the
 * task reaches a terminal status, the time runs out or the caller aborts.
 *
 * - `SUCCESS` resolves with the task; `FAILED`, `CANCELLED` and `DELETED` reject with
 *   DmsTaskFailedError. Every other status (`CREATED`, `EXECUTING`, a missing or new value) is
 *   in flight. (Terraform treats `DELETED` as failed for Kafka but as pending for RocketMQ; a
 *   deleted task will not finish, so here it ends the wait.)
 * - Polls: the first at once, then after `pollIntervalMs` (default 2 s), each interval 1.5
 *   times the one before, up to 30 s (or `pollIntervalMs` if larger), each with ±20 % jitter.
 *   Terraform polls every 2 to 30 s; a task usually takes seconds to minutes.
 * - `timeoutMs` (default 30 min, as long as Terraform's longest DMS waits) bounds the whole
 *   wait, the poll in flight included: that poll is aborted when the time runs out, and the
 *   wait rejects with DmsWaitTimeoutError naming the last status read.
 * - Errors that a later poll may not see again do not end the wait: a DmsNetworkError of a
 *   failure that can heal (a timeout, a reset or refused connection: retry.ts), or a DmsApiError
 *   with a retryable status (429, 500, 502, 503, 504), each after the client's own retries. A
 *   404 (or TaskNotFound) during the first 20 s is tolerated too: a task may become readable a
 *   moment after the operation that started it returns its job_id (Terraform waits 20 s before
 *   its first read); the instance's own 404 (DMS.00404022) is not. Any other error ends the
 *   wait at once.
 * - One request at most is in flight; an abort of `signal` rejects at once with its reason and
 *   leaves no timer behind. `onPoll(task)` is called with every task read, before the status is
 *   judged; if it throws, the wait rejects with that error. A promise it returns is not
 *   awaited, and its rejection is ignored.
 */
import type { SchemaBackgroundTask } from "../generated/schema.js";
import { DmsApiError, DmsNetworkError, DmsTaskFailedError, DmsWaitTimeoutError, INSTANCE_NOT_FOUND, TASK_NOT_FOUND } from "./errors.js";
import { isRetryableFailure, isRetryableStatus, timeLimit, type Sleep } from "./retry.js";

export const DEFAULT_WAIT_TIMEOUT_MS = 30 * 60_000;
export const DEFAULT_POLL_INTERVAL_MS = 2_000;
export const MAX_POLL_INTERVAL_MS = 30_000;
export const POLL_INTERVAL_GROWTH = 1.5;
export const POLL_JITTER = 0.2;
export const NOT_FOUND_GRACE_MS = 20_000;

/** Terminal statuses that are not success. */
export const FAILED_STATUSES: ReadonlySet<string> = new Set(["FAILED", "CANCELLED", "DELETED"]);

export interface WaitArgs {
  taskId: string;
  timeoutMs: number | undefined;
  pollIntervalMs: number | undefined;
  signal: AbortSignal | undefined;
  onPoll: ((task: SchemaBackgroundTask) => unknown) | undefined;
}

export interface WaitDeps {
  sleep: Sleep;
  random: () => number;
  /** Monotonic milliseconds. */
  clock: () => number;
}

/** Abort reason of a poll cut short by the wait's deadline. */
const DEADLINE = new DOMException("The wait timed out", "TimeoutError");

export async function waitForTask(
  getTask: (signal: AbortSignal) => Promise<SchemaBackgroundTask>,
  a: WaitArgs,
  deps: WaitDeps,
): Promise<SchemaBackgroundTask> {
  const { signal } = a;
  signal?.throwIfAborted();
  const timeoutMs = a.timeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS;
  let interval = a.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const maxInterval = Math.max(MAX_POLL_INTERVAL_MS, interval);
  const started = deps.clock();
  const remaining = () => started + timeoutMs - deps.clock();
  let task: SchemaBackgroundTask | undefined;
  let lastError: unknown;
  let polls = 0;
  const timedOut = () =>
    new DmsWaitTimeoutError(a.taskId, task, timeoutMs, polls, lastError === undefined ? undefined : { cause: lastError });

  for (;;) {
    const left = remaining();
    if (left <= 0) throw timedOut();
    polls++;
    const outcome = await poll(getTask, left, signal);
    if ("deadline" in outcome) throw timedOut();
    if ("task" in outcome) {
      task = outcome.task;
      lastError = undefined;
      const returned: unknown = a.onPoll?.(task);
      // Not awaited (a slow callback must not stretch the wait); a rejection must not crash the process.
      if (returned instanceof Promise) returned.catch(() => {});
      if (task.status === "SUCCESS") return task;
      if (task.status !== undefined && FAILED_STATUSES.has(task.status)) throw new DmsTaskFailedError(task, task.status);
    } else {
      if (!isTransient(outcome.error, deps.clock() - started)) throw outcome.error;
      lastError = outcome.error;
    }
    const pause = Math.min(interval * (1 - POLL_JITTER + 2 * POLL_JITTER * deps.random()), maxInterval, remaining());
    if (pause > 0) await deps.sleep(pause, signal);
    interval = Math.min(interval * POLL_INTERVAL_GROWTH, maxInterval);
  }
}

/** One getTask call, cut short by the deadline (`left` ms) or the caller's abort. */
async function poll(
  getTask: (signal: AbortSignal) => Promise<SchemaBackgroundTask>,
  left: number,
  signal: AbortSignal | undefined,
): Promise<{ task: SchemaBackgroundTask } | { error: unknown } | { deadline: true }> {
  const limit = timeLimit(left, DEADLINE, signal);
  try {
    return { task: await getTask(limit.signal) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (limit.expired()) return { deadline: true };
    return { error };
  } finally {
    limit.clear();
  }
}

/** Whether a failed poll leaves the wait going (see the file comment). */
function isTransient(error: unknown, elapsedMs: number): boolean {
  // A failure that cannot heal (unknown host, TLS error, …: retry.ts) would only repeat.
  if (error instanceof DmsNetworkError) return error.timedOut || isRetryableFailure(error.cause);
  if (!(error instanceof DmsApiError)) return false;
  if (isRetryableStatus(error.status)) return true;
  const notFound = error.errorCode === TASK_NOT_FOUND || (error.status === 404 && error.errorCode !== INSTANCE_NOT_FOUND);
  return notFound && elapsedMs < NOT_FOUND_GRACE_MS;
}
