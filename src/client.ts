/**
 * The client: one openapi-fetch instance per client (created once, reused by every call).
 * Every public method is three steps: check its arguments (one checkArgs call with its table
 * in validate.ts), send one request through the shared path (request.ts: attempts, retries,
 * timeouts, aborts, error mapping), check the body (response.ts). The paginator and the wait
 * compose these methods and make no request of their own.
 */
import createClient from "openapi-fetch";
import type {
  paths,
  SchemaBackgroundTask,
  SchemaErrorResponse,
  SchemaListBackgroundTasksResponse,
  SchemaShowBackgroundTaskProgressResponse,
  SchemaStepDetail,
} from "../generated/schema.js";
import { authMiddleware } from "./auth/middleware.js";
import { boundedBodyMiddleware, checkMaxResponseBytes } from "./body.js";
import { resolveBaseUrl } from "./endpoint.js";
import { DmsValidationError } from "./errors.js";
import { paginate } from "./paginate.js";
import { makeRedactor } from "./redact.js";
import { createRequester, pathSerializer, querySerializer, type Query } from "./request.js";
import { checkDeleteResponse, checkListBody, checkProgressBody, checkTaskBody } from "./response.js";
import { checkRetry, sleep, type RetryOptions, type Sleep } from "./retry.js";
import { defaultTransport, TransportRequest } from "./transport.js";
import type { QueryTimeInput } from "./time.js";
import {
  checkArgs,
  checkCredentials,
  checkFunction,
  checkId,
  checkKnownKeys,
  checkMs,
  checkObject,
  type Checked,
  LIST_ARGS,
  PAGINATE_ARGS,
  TASK_ARGS,
  WAIT_ARGS,
} from "./validate.js";
import { waitForTask } from "./wait.js";

export { encodePathSegment } from "./request.js";

/** The wire shape of one page (generated from the spec). */
export type ListBackgroundTasksResponse = SchemaListBackgroundTasksResponse;
/** One task (generated from the spec). */
export type BackgroundTask = SchemaBackgroundTask;
/** The progress of a task (generated from the spec). */
export type BackgroundTaskProgress = SchemaShowBackgroundTaskProgressResponse;
/** One step of a task's progress (generated from the spec; note the field `statue`). */
export type BackgroundTaskStep = SchemaStepDetail;
/** The documented error body (generated from the spec). */
export type ErrorResponse = SchemaErrorResponse;

export interface AkSkCredentials {
  accessKey: string;
  secretKey: string;
  /** For temporary credentials; sent as X-Security-Token and signed. */
  securityToken?: string;
}
export interface TokenCredentials {
  /** IAM token, sent as X-Auth-Token. */
  token: string;
}
export type Credentials = AkSkCredentials | TokenCredentials;

export interface BackgroundTasksClientOptions {
  /** Region ID, e.g. `cn-north-4`; maps to `https://dms.{region}.myhuaweicloud.com`. */
  region?: string;
  /** Base URL, overrides `region`. `http:` only to a loopback address. */
  endpoint?: string | URL;
  projectId: string;
  credentials: Credentials;
  /** Per-attempt time limit in ms (default 60000, above the gateway's 30 s). */
  timeoutMs?: number;
  /** Retry policy of every call (GETs and the idempotent DELETE), or `false` for a single attempt. */
  retry?: RetryOptions | false;
  /** fetch implementation, captured once (default: a node:http/https transport, see transport.ts). */
  fetch?: (request: Request) => Promise<Response>;
  /** Clock for X-Sdk-Date and Retry-After dates (default `() => new Date()`). */
  now?: () => Date;
  /** Largest response body read, in decoded bytes (default 8 MiB, at most 16 MiB); larger is `ResponseTooLarge`. */
  maxResponseBytes?: number;
}

export interface ListBackgroundTasksArgs {
  instanceId: string;
  /** 1-based position of the first task (1 to 2147483647). */
  start?: number;
  /** Page size, 1 to 100 (the server's default is 10). */
  limit?: number;
  beginTime?: QueryTimeInput;
  endTime?: QueryTimeInput;
  signal?: AbortSignal;
}

export interface PaginateBackgroundTasksArgs {
  instanceId: string;
  /** Tasks per request, 1 to 100 (default 100). */
  pageSize?: number;
  beginTime?: QueryTimeInput;
  endTime?: QueryTimeInput;
  /** Stop after this many tasks. */
  maxTasks?: number;
  signal?: AbortSignal;
  /**
   * Called with each page as it arrives, before its tasks are yielded: `task_count` for a
   * progress display, without a request of its own.
   */
  onPage?: (page: ListBackgroundTasksResponse) => void;
}

export interface BackgroundTaskArgs {
  instanceId: string;
  /** The task's id, e.g. the `job_id` an asynchronous operation returned. */
  taskId: string;
  signal?: AbortSignal;
}

export interface WaitForBackgroundTaskArgs extends BackgroundTaskArgs {
  /** Bound of the whole wait, the poll in flight included (default 30 min). */
  timeoutMs?: number;
  /** First pause between polls, at least 100 ms (default 2000); later pauses grow to 30 s. */
  pollIntervalMs?: number;
  /** Called with every task read, whatever its status. */
  onPoll?: (task: BackgroundTask) => void;
}

export interface BackgroundTasksClient {
  /** One page, exactly as the API returns it (the response body is checked against the schema). */
  listBackgroundTasks(args: ListBackgroundTasksArgs): Promise<ListBackgroundTasksResponse>;
  /** Every task, page after page, each task id at most once. Arguments are checked at call time. */
  paginateBackgroundTasks(args: PaginateBackgroundTasksArgs): AsyncGenerator<BackgroundTask, void, undefined>;
  /**
   * The one task. A 404, or a 200 that lists no task, is a DmsApiError with status 404 (the
   * latter with errorCode `TaskNotFound`); a 200 listing another task is `InvalidResponse`.
   */
  getBackgroundTask(args: BackgroundTaskArgs): Promise<BackgroundTask>;
  /** The task's progress, exactly as the API returns it (Kafka and RocketMQ only). */
  getBackgroundTaskProgress(args: BackgroundTaskArgs): Promise<BackgroundTaskProgress>;
  /**
   * Deletes the task record; resolves with undefined on 204, 200 or 202. Retried like a GET
   * (DELETE is idempotent); a 404 on a retry after an attempt whose outcome is unknown (no
   * answer, 502 or 504) resolves too, since the task is then gone (not the instance's own 404,
   * DMS.00404022).
   */
  deleteBackgroundTask(args: BackgroundTaskArgs): Promise<undefined>;
  /**
   * Polls getBackgroundTask until the task ends: resolves with it on `SUCCESS`, rejects with
   * DmsTaskFailedError on `FAILED`, `CANCELLED` or `DELETED`, and with DmsWaitTimeoutError
   * when `timeoutMs` runs out. Transient errors do not end the wait (see src/wait.ts).
   */
  waitForBackgroundTask(args: WaitForBackgroundTaskArgs): Promise<BackgroundTask>;
}

/** Internal seams for deterministic tests. */
export interface ClientDeps {
  random: () => number;
  sleep: Sleep;
  /** Monotonic milliseconds for waitForBackgroundTask (default `performance.now`). */
  clock?: () => number;
}

const LIST_PATH = "/v2/{project_id}/instances/{instance_id}/tasks";
const TASK_PATH = "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}";
const PROGRESS_PATH = "/v2/{project_id}/instances/{instance_id}/tasks/{task_id}/progress";
const DEFAULT_TIMEOUT_MS = 60_000;
const CLIENT_KEYS = new Set(["region", "endpoint", "projectId", "credentials", "timeoutMs", "retry", "fetch", "now", "maxResponseBytes"]);

export function createBackgroundTasksClient(options: BackgroundTasksClientOptions): BackgroundTasksClient {
  return createClientWith(options, { random: Math.random, sleep });
}

export function createClientWith(options: BackgroundTasksClientOptions, deps: ClientDeps): BackgroundTasksClient {
  const o = checkObject("options", options);
  checkKnownKeys("options", o, CLIENT_KEYS);
  const baseUrl = resolveBaseUrl(o);
  const projectId = checkId("projectId", o.projectId);
  const credentials = checkCredentials(o.credentials);
  const timeoutMs = o.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : checkMs("timeoutMs", o.timeoutMs, 1);
  const policy = checkRetry(o.retry);
  const fetchImpl = checkFunction<(request: Request) => Promise<Response>>("fetch", o.fetch);
  const now = checkFunction<() => Date>("now", o.now) ?? (() => new Date());
  const maxResponseBytes = checkMaxResponseBytes(o.maxResponseBytes);
  const redact = makeRedactor(
    credentials.kind === "token" ? [credentials.token] : [credentials.secretKey, credentials.securityToken],
  );

  const api = createClient<paths>({
    ...(fetchImpl ? {} : { Request: TransportRequest as unknown as typeof Request }),
    baseUrl,
    fetch: fetchImpl ?? defaultTransport,
    headers: { Accept: "application/json" },
    // The API never redirects; following one could carry credentials to another host or to http:.
    redirect: "manual",
    querySerializer,
    pathSerializer,
  });
  api.use(authMiddleware(credentials, projectId, now));
  // Bounds every body, success or error, of every method: it runs before openapi-fetch reads one.
  api.use(boundedBodyMiddleware(maxResponseBytes, redact, fetchImpl === undefined));
  const send = createRequester({ api, projectId, timeoutMs, policy, now, redact, random: deps.random, sleep: deps.sleep });
  const clock = deps.clock ?? (() => performance.now());

  const list = (instanceId: string, query: Query, signal: AbortSignal | undefined) =>
    send({
      method: "GET",
      path: LIST_PATH,
      params: { instance_id: instanceId },
      query,
      signal,
      parse: (text, res) => checkListBody(text, res, redact, query.limit),
    });

  const getTask = (a: TaskArgs) =>
    send({ method: "GET", path: TASK_PATH, params: taskParams(a), signal: a.signal, parse: (text, res) => checkTaskBody(text, res, redact, a.taskId) });

  return {
    listBackgroundTasks: (args) =>
      settle(() => {
        const a = checkArgs(LIST_ARGS, args);
        const query = timeWindow(a);
        if (a.start !== undefined) query.start = a.start;
        if (a.limit !== undefined) query.limit = a.limit;
        return list(a.instanceId, query, a.signal);
      }),

    paginateBackgroundTasks(args) {
      const a = checkArgs(PAGINATE_ARGS, args);
      const window = timeWindow(a);
      return paginate((start, limit) => list(a.instanceId, { ...window, start, limit }, a.signal), a.pageSize, a.maxTasks, a.signal, a.onPage);
    },

    getBackgroundTask: (args) => settle(() => getTask(checkArgs(TASK_ARGS, args))),

    getBackgroundTaskProgress: (args) =>
      settle(() => {
        const a = checkArgs(TASK_ARGS, args);
        return send({ method: "GET", path: PROGRESS_PATH, params: taskParams(a), signal: a.signal, parse: (text, res) => checkProgressBody(text, res, redact) });
      }),

    deleteBackgroundTask: (args) =>
      settle(() => {
        const a = checkArgs(TASK_ARGS, args);
        return send({
          method: "DELETE",
          path: TASK_PATH,
          params: taskParams(a),
          signal: a.signal,
          parse: (_text, res) => checkDeleteResponse(res, redact),
          goneAfterUnknown: { value: undefined },
        });
      }),

    waitForBackgroundTask: (args) =>
      settle(() => {
        const a = checkArgs(WAIT_ARGS, args);
        return waitForTask((signal) => getTask({ ...a, signal }), a, { sleep: deps.sleep, random: deps.random, clock });
      }),
  };
}

type TaskArgs = Checked<typeof TASK_ARGS>;

const taskParams = (a: TaskArgs) => ({ instance_id: a.instanceId, task_id: a.taskId });

/** A bad argument as a rejected promise, like every other failure of an async method. */
function settle<T>(run: () => Promise<T>): Promise<T> {
  try {
    return run();
  } catch (e) {
    return Promise.reject(e);
  }
}

/** beginTime/endTime in wire form, ordered (fixed-width strings compare as times). */
function timeWindow(a: { beginTime: string | undefined; endTime: string | undefined }): Query {
  const query: Query = {};
  if (a.beginTime !== undefined) query.begin_time = a.beginTime;
  if (a.endTime !== undefined) query.end_time = a.endTime;
  if (a.beginTime !== undefined && a.endTime !== undefined && a.beginTime > a.endTime) {
    throw new DmsValidationError("beginTime", "must not be after endTime");
  }
  return query;
}
