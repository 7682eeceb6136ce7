/** Exit codes, and the one-line message of each error. */
import { DmsApiError, DmsError, DmsTaskFailedError, DmsValidationError, DmsWaitTimeoutError } from "../index.js";
import { oneLine } from "./format.js";
import { UsageError } from "./usage.js";

export const EXIT = { ok: 0, failed: 1, usage: 2, taskFailed: 3, timedOut: 4, interrupted: 130 } as const;

export function exitCodeOf(e: unknown, signal: AbortSignal): number {
  if (signal.aborted) return EXIT.interrupted;
  if (e instanceof UsageError || e instanceof DmsValidationError) return EXIT.usage;
  if (e instanceof DmsTaskFailedError) return EXIT.taskFailed;
  if (e instanceof DmsWaitTimeoutError) return EXIT.timedOut;
  return EXIT.failed;
}

/** The library's argument names as a user of the command knows them. */
const FLAG_OF: Readonly<Record<string, string>> = {
  instanceId: "<instance-id>",
  taskId: "<task-id>",
  projectId: "--project-id (HUAWEICLOUD_SDK_PROJECT_ID)",
  region: "--region (DMS_TASKS_REGION)",
  endpoint: "--endpoint (DMS_TASKS_ENDPOINT)",
  timeoutMs: "--timeout-ms",
  "retry.maxAttempts": "--retries",
  start: "--start",
  limit: "--limit",
  pageSize: "--limit",
  maxTasks: "--max",
  beginTime: "--since",
  endTime: "--until",
  "credentials.token": "IAM token",
  "credentials.accessKey": "HUAWEICLOUD_SDK_AK",
  "credentials.secretKey": "HUAWEICLOUD_SDK_SK",
  "credentials.securityToken": "HUAWEICLOUD_SDK_SECURITY_TOKEN",
};

/**
 * `HTTP 404 DMS.00404022 This instance does not exist (request id ...)`, on one line, with no
 * control character (a server's message must not drive the terminal).
 */
export function describeError(e: unknown): string {
  let m: string;
  if (e instanceof DmsApiError) {
    m = `HTTP ${e.status}`;
    if (e.errorCode) m += ` ${e.errorCode}`;
    const text = e.errorMsg ?? e.bodySnippet;
    if (text) m += ` ${text}`;
    if (e.requestId) m += ` (request id ${e.requestId})`;
  } else if (e instanceof DmsValidationError) {
    m = `invalid ${FLAG_OF[e.argument] ?? e.argument}: ${e.reason}`;
  } else if (e instanceof DmsError || e instanceof UsageError) {
    m = e.message;
  } else {
    m = `unexpected: ${e instanceof Error ? e.message : String(e)} (run with --debug for details)`;
  }
  return oneLine(m).replace(/\s+/g, " ").trim();
}

/** Replaces each secret the CLI was given wherever it appears: a last guard on everything printed to stderr. */
export function secretRedactor(secrets: readonly (string | undefined)[]): (s: string) => string {
  const list = secrets.filter((s): s is string => typeof s === "string" && s.length >= 4).sort((a, b) => b.length - a.length);
  return (s) => list.reduce((acc, secret) => acc.replaceAll(secret, "[REDACTED]"), s);
}
