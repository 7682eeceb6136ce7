/**
 * The client: one openapi-fetch instance per client (created once, reused by every call),
 * input checks before anything is sent, a retry loop around the openapi-fetch call, and
 * error mapping.
 */
import createClient from "openapi-fetch";
import type {
  operations,
  paths,
  SchemaBackgroundTask,
  SchemaErrorResponse,
  SchemaListBackgroundTasksResponse,
} from "../generated/schema.js";
import { authMiddleware } from "./auth/middleware.js";
import { boundedBodyMiddleware, checkMaxResponseBytes } from "./body.js";
import { resolveBaseUrl } from "./endpoint.js";
import {
  apiErrorFromBody,
  DmsApiError,
  DmsNetworkError,
  DmsValidationError,
  makeRedactor,
  sanitizedError,
  type Redact,
} from "./errors.js";
import { paginate } from "./paginate.js";
import { defaultTransport, TransportRequest } from "./transport.js";
import { checkListBody } from "./response.js";
import {
  checkRetry,
  failureHint,
  isRetryableFailure,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  sleep,
  type RetryOptions,
  type Sleep,
} from "./retry.js";
import { queryTimeArg, type QueryTimeInput } from "./time.js";
import {
  checkCredentials,
  checkFunction,
  checkId,
  checkInt,
  checkKnownKeys,
  checkMs,
  checkObject,
  checkOptionalInt,
  checkSignal,
  MAX_INT32,
} from "./validate.js";

/** The wire shape of one page (generated from the spec). */
export type ListBackgroundTasksResponse = SchemaListBackgroundTasksResponse;
/** One task (generated from the spec). */
export type BackgroundTask = SchemaBackgroundTask;
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
  /** Retry policy for GETs, or `false` for a single attempt. */
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
}

export interface BackgroundTasksClient {
  /** One page, exactly as the API returns it (the response body is checked against the schema). */
  listBackgroundTasks(args: ListBackgroundTasksArgs): Promise<ListBackgroundTasksResponse>;
  /** Every task, page after page, each task id at most once. Arguments are checked at call time. */
  paginateBackgroundTasks(args: PaginateBackgroundTasksArgs): AsyncGenerator<BackgroundTask, void, undefined>;
}

/** Internal seams for deterministic tests. */
export interface ClientDeps {
  random: () => number;
  sleep: Sleep;
}

type Query = NonNullable<operations["listBackgroundTasks"]["parameters"]["query"]>;

const PATH = "/v2/{project_id}/instances/{instance_id}/tasks";
const DEFAULT_TIMEOUT_MS = 60_000;
const CLIENT_KEYS = new Set(["region", "endpoint", "projectId", "credentials", "timeoutMs", "retry", "fetch", "now", "maxResponseBytes"]);
const LIST_KEYS = new Set(["instanceId", "start", "limit", "beginTime", "endTime", "signal"]);
const PAGINATE_KEYS = new Set(["instanceId", "pageSize", "beginTime", "endTime", "maxTasks", "signal"]);
/** Abort reason of a per-attempt timeout, told apart from the caller's abort by identity. */
const TIMEOUT = new DOMException("The attempt timed out", "TimeoutError");

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
  api.use(boundedBodyMiddleware(maxResponseBytes, redact));

  type Outcome =
    | { ok: true; value: ListBackgroundTasksResponse }
    | { ok: false; error: DmsApiError; retryAfterMs: number | undefined }
    | { ok: false; error: undefined; cause: unknown; timedOut: boolean };

  async function attempt(instanceId: string, query: Query, signal: AbortSignal | undefined): Promise<Outcome> {
    // One controller per attempt: the timeout and the caller's signal both abort it at once,
    // covering the body read too (openapi-fetch reads it before returning).
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(TIMEOUT), timeoutMs);
    // AbortSignal.any adds no listener to the caller's signal: one signal shared by many calls
    // gets no MaxListenersExceededWarning and keeps nothing behind.
    const attemptSignal = signal ? AbortSignal.any([signal, controller.signal]) : controller.signal;
    try {
      const { data, error, response } = await api.GET(PATH, {
        params: { path: { project_id: projectId, instance_id: instanceId }, query },
        signal: attemptSignal,
        parseAs: "text", // parsed here, so a non-JSON 200 still yields status and request id
      });
      if (response.ok) return { ok: true, value: checkListBody(data, response, redact, query.limit) };
      const retryAfter = isRetryableStatus(response.status) ? response.headers.get("retry-after") : null;
      return {
        ok: false,
        error: apiErrorFromBody(response.status, response.headers, error, redact),
        retryAfterMs: retryAfter === null ? undefined : parseRetryAfter(retryAfter, now().getTime()),
      };
    } catch (e) {
      if (signal?.aborted) throw signal.reason; // the caller's abort is never retried
      if (e instanceof DmsApiError || e instanceof DmsValidationError) throw e;
      return { ok: false, error: undefined, cause: e, timedOut: controller.signal.reason === TIMEOUT };
    } finally {
      clearTimeout(timer);
    }
  }

  async function list(instanceId: string, query: Query, signal: AbortSignal | undefined): Promise<ListBackgroundTasksResponse> {
    if (signal?.aborted) throw signal.reason;
    for (let n = 1; ; n++) {
      const outcome = await attempt(instanceId, query, signal);
      if (outcome.ok) return outcome.value;
      const last = n >= policy.maxAttempts;
      if (outcome.error) {
        if (last || !isRetryableStatus(outcome.error.status)) throw outcome.error;
        await deps.sleep(retryDelay(n, policy, outcome.retryAfterMs, deps.random), signal);
      } else {
        if (last || !(outcome.timedOut || isRetryableFailure(outcome.cause))) {
          throw networkError(outcome.cause, outcome.timedOut, n, timeoutMs, redact);
        }
        await deps.sleep(retryDelay(n, policy, undefined, deps.random), signal);
      }
    }
  }

  return {
    listBackgroundTasks(args) {
      try {
        const a = checkObject("options", args);
        checkKnownKeys("options", a, LIST_KEYS);
        const instanceId = checkId("instanceId", a.instanceId);
        const query = timeWindow(a);
        const start = checkOptionalInt("start", a.start, 1, MAX_INT32);
        const limit = checkOptionalInt("limit", a.limit, 1, 100);
        if (start !== undefined) query.start = start;
        if (limit !== undefined) query.limit = limit;
        return list(instanceId, query, checkSignal("signal", a.signal));
      } catch (e) {
        return Promise.reject(e);
      }
    },

    paginateBackgroundTasks(args) {
      const a = checkObject("options", args);
      checkKnownKeys("options", a, PAGINATE_KEYS);
      const instanceId = checkId("instanceId", a.instanceId);
      const window = timeWindow(a);
      const pageSize = a.pageSize === undefined ? 100 : checkInt("pageSize", a.pageSize, 1, 100);
      const maxTasks = a.maxTasks === undefined ? Infinity : checkInt("maxTasks", a.maxTasks, 1, Number.MAX_SAFE_INTEGER);
      const signal = checkSignal("signal", a.signal);
      return paginate((start, limit) => list(instanceId, { ...window, start, limit }, signal), pageSize, maxTasks, signal);
    },
  };
}

/** beginTime/endTime in wire form, checked and ordered (fixed-width strings compare as times). */
function timeWindow(a: Record<string, unknown>): Query {
  const query: Query = {};
  if (a.beginTime !== undefined) query.begin_time = queryTimeArg("beginTime", a.beginTime);
  if (a.endTime !== undefined) query.end_time = queryTimeArg("endTime", a.endTime);
  if (query.begin_time !== undefined && query.end_time !== undefined && query.begin_time > query.end_time) {
    throw new DmsValidationError("beginTime", "must not be after endTime");
  }
  return query;
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
  return new DmsNetworkError(`Request failed without a response${tries}: ${describe(safe)}${hint ? ` (${hint})` : ""}`, false, attempts, { cause: safe });
}

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:4010" — undici hides the useful part in `cause`. */
function describe(e: Error): string {
  const inner = e.cause instanceof Error ? `: ${e.cause.message}` : "";
  return e.message + inner;
}

// ---------------------------------------------------------------------------------------------
// Serialisation. openapi-fetch ignores the spec's style/explode and leaves a missing path
// parameter as "{name}", so both are done here.

/** The four primitive query parameters (form, explode), in the reference page's order. */
function querySerializer(q: Query): string {
  let s = "";
  if (q.start !== undefined) s += "&start=" + q.start;
  if (q.limit !== undefined) s += "&limit=" + q.limit;
  if (q.begin_time !== undefined) s += "&begin_time=" + encodeURIComponent(q.begin_time);
  if (q.end_time !== undefined) s += "&end_time=" + encodeURIComponent(q.end_time);
  return s.slice(1);
}

function pathSerializer(pathname: string, params: Record<string, unknown>): string {
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
