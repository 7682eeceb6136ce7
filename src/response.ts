/**
 * 2xx bodies: checked against the schema's required shape (never returned half-valid), and the
 * task `params` decoder.
 */
import type {
  SchemaBackgroundTask,
  SchemaListBackgroundTasksResponse,
  SchemaShowBackgroundTaskProgressResponse,
} from "../generated/schema.js";
import { DmsApiError, INVALID_RESPONSE, TASK_NOT_FOUND } from "./errors.js";
import { requestIdOf, snippet, type Redact } from "./redact.js";

/** The InvalidResponse error of a 2xx response whose body (or status) is not the documented one. */
function invalid(response: Response, redact: Redact, why: string, text?: string): DmsApiError {
  return new DmsApiError({
    status: response.status,
    errorCode: INVALID_RESPONSE,
    errorMsg: `the response ${why}`,
    requestId: requestIdOf(response.headers, redact), // redacted like every other field
    bodySnippet: text === undefined ? undefined : snippet(text, redact),
  });
}

/** The body parsed as JSON and checked by `problemOf` (undefined when the shape is right). */
function checkedJson<T>(text: string | undefined, response: Response, redact: Redact, problemOf: (body: unknown) => string | undefined): T {
  if (text === undefined || text === "") throw invalid(response, redact, "body is empty");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalid(response, redact, "body is not JSON", text);
  }
  const problem = problemOf(body);
  if (problem) throw invalid(response, redact, `body ${problem}`, text);
  return body as T;
}

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
  const page = checkedJson<SchemaListBackgroundTasksResponse>(text, response, redact, listShapeProblem);
  if (page.tasks.length > limit) throw invalid(response, redact, `body has ${page.tasks.length} tasks, more than the limit of ${limit} requested`);
  return page;
}

/**
 * showBackgroundTask answers with the list's shape. No source says whether an unknown task id
 * gets a 404 or `tasks: []`; the empty list becomes the same 404 (errorCode TaskNotFound). The
 * one task must be the one asked for: anything else is InvalidResponse.
 */
export function checkTaskBody(text: string | undefined, response: Response, redact: Redact, taskId: string): SchemaBackgroundTask {
  const { tasks } = checkListBody(text, response, redact);
  if (tasks.length === 0) {
    throw new DmsApiError({
      status: 404,
      errorCode: TASK_NOT_FOUND,
      errorMsg: "the response lists no task with this id",
      requestId: requestIdOf(response.headers, redact),
    });
  }
  if (tasks.length > 1) throw invalid(response, redact, `body lists ${tasks.length} tasks instead of one`);
  if (tasks[0]!.id !== taskId) throw invalid(response, redact, "body lists a task with another id");
  return tasks[0]!;
}

/** deleteBackgroundTask: 204, or 200/202 (the OK codes of Terraform's HTTP layer for DELETE); any body is ignored. */
export function checkDeleteResponse(response: Response, redact: Redact): undefined {
  if (response.status === 204 || response.status === 200 || response.status === 202) return undefined;
  throw invalid(response, redact, `status ${response.status} is not one a DELETE answers (204, 200 or 202)`);
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

export function checkProgressBody(text: string | undefined, response: Response, redact: Redact): SchemaShowBackgroundTaskProgressResponse {
  return checkedJson(text, response, redact, progressShapeProblem);
}

/** The documented step fields and the JSON types they may hold when present. */
const STEP_FIELDS: Readonly<Record<string, readonly string[]>> = {
  name: ["string"],
  statue: ["string"],
  start_time: ["number", "null"],
  end_time: ["number", "null"],
};

const jsonType = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);

/**
 * Why the body is not a progress document: every field is optional (the SDK models mark none
 * required), but a present one must have its documented type, so the returned static type
 * holds. Unknown extra fields are kept.
 */
export function progressShapeProblem(body: unknown): string | undefined {
  if (!isObject(body)) return "is not a JSON object";
  for (const field of ["progress_percentage", "remain_time"]) {
    const v = body[field];
    if (v !== undefined && typeof v !== "number") return `has ${field} that is not a number`;
  }
  const steps = body.step_list;
  if (steps === undefined) return undefined;
  if (!Array.isArray(steps)) return "has step_list that is not an array";
  for (let i = 0; i < steps.length; i++) {
    const step: unknown = steps[i];
    if (!isObject(step)) return `has step_list[${i}] that is not an object`;
    for (const [field, types] of Object.entries(STEP_FIELDS)) {
      const v = step[field];
      if (v !== undefined && !types.includes(jsonType(v))) return `has step_list[${i}].${field} that is not a ${types.join(" or ")}`;
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
