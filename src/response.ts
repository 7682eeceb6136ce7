/**
 * 2xx bodies: checked against the schema's required shape (never returned half-valid), and the
 * task `params` decoder.
 */
import type { SchemaBackgroundTask, SchemaListBackgroundTasksResponse } from "../generated/schema.js";
import { DmsApiError, INVALID_RESPONSE, requestIdOf, snippet, type Redact } from "./errors.js";

/**
 * The page in `text`, checked. `limit` is the page size requested (the API's largest, 100,
 * when none was): a page with more tasks is refused, so a page never holds more than asked.
 */
export function checkListBody(
  text: string | undefined,
  response: Response,
  redact: Redact,
  limit: number = MAX_LIMIT,
): SchemaListBackgroundTasksResponse {
  const invalid = (why: string, bodySnippet?: string) =>
    new DmsApiError({
      status: response.status,
      errorCode: INVALID_RESPONSE,
      errorMsg: `the response body ${why}`,
      requestId: requestIdOf(response.headers, redact), // redacted like every other field
      bodySnippet,
    });
  if (text === undefined || text === "") throw invalid("is empty");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid("is not JSON", snippet(text, redact));
  }
  const problem = listShapeProblem(body);
  if (problem) throw invalid(problem, snippet(text, redact));
  const page = body as SchemaListBackgroundTasksResponse;
  if (page.tasks.length > limit) throw invalid(`has ${page.tasks.length} tasks, more than the limit of ${limit} requested`);
  return body as SchemaListBackgroundTasksResponse;
}

/** The API's largest page (limit 1 to 100). */
const MAX_LIMIT = 100;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Optional task fields: absent is fine, but when present they must be what the type promises. */
const OPTIONAL_STRING_FIELDS = ["name", "status", "user_name", "user_id", "params", "created_at", "updated_at"] as const;

/**
 * Why the body is not a ListBackgroundTasksResponse: task_count (a string of digits) and tasks
 * (an array of objects with a non-empty string id) are required; the other documented task
 * fields may be missing, but a present one of the wrong type would contradict the returned
 * static type, so it is reported too. Unknown extra fields are kept.
 */
function listShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return "is not a JSON object";
  if (typeof body.task_count !== "string" || !/^[0-9]+$/.test(body.task_count)) {
    return "has no task_count string of digits";
  }
  const tasks = body.tasks;
  if (!Array.isArray(tasks)) return "has no tasks array";
  for (let i = 0; i < tasks.length; i++) {
    const t: unknown = tasks[i];
    if (!isObject(t)) return `has tasks[${i}] that is not an object`;
    if (typeof t.id !== "string" || t.id === "") return `has tasks[${i}].id that is not a non-empty string`;
    for (const field of OPTIONAL_STRING_FIELDS) {
      const v = t[field];
      if (v !== undefined && typeof v !== "string") return `has tasks[${i}].${field} that is not a string`;
    }
  }
  return undefined;
}

/** A task's `params` decoded from its JSON string; undefined when the task has none. */
export function parseTaskParams(task: Pick<SchemaBackgroundTask, "params"> & { id?: string }): unknown {
  if (typeof task !== "object" || task === null) throw new TypeError("parseTaskParams expects a task object");
  const params: unknown = task.params;
  if (params === undefined) return undefined;
  const which = typeof task.id === "string" ? `task ${truncateId(task.id)}` : "task";
  if (typeof params !== "string") throw new TypeError(`The params field of ${which} is not a string holding JSON`);
  try {
    return JSON.parse(params);
  } catch (e) {
    throw new SyntaxError(`The params field of ${which} is not JSON: ${(e as Error).message}`, { cause: e });
  }
}

function truncateId(id: string): string {
  return id.length <= 64 ? id : id.slice(0, 64) + "…";
}
