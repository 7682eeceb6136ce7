// Helpers shared by the contract tests: raw requests to the Prism mock, each answer checked
// against the spec before a test looks at it.
import { inject } from "vitest";
import { createBackgroundTasksClient, type BackgroundTasksClient } from "../../src/index.ts";
import { loadBundle } from "../spec/load-bundle.ts";
import { assertMatchesSpec, type OperationId } from "./schemas.ts";

export const PROJECT_ID = "0123456789abcdef0123456789abcdef";
export const INSTANCE_ID = "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11";
export const TOKEN = "contract-test-token";
/** The task of the seed's (the reference page's) example response. */
export const SEED_TASK_ID = "ff80808272dcc90f0172df1e490f41b0";

export function prismUrl(): string {
  return inject("prismUrl");
}

export function tasksUrl(query: Record<string, string> | string = {}, ids = { project: PROJECT_ID, instance: INSTANCE_ID }): string {
  const qs = typeof query === "string" ? query : new URLSearchParams(query).toString();
  const path = `/v2/${encodeURIComponent(ids.project)}/instances/${encodeURIComponent(ids.instance)}/tasks`;
  return `${prismUrl()}${path}${qs ? `?${qs}` : ""}`;
}

export interface RawAnswer {
  status: number;
  headers: Headers;
  body: unknown;
  /** Prism's `sl-violations` header, parsed: why Prism refused the request (or flagged its response). */
  violations: { location: string[]; code: string | number; message: string }[];
}

/**
 * Checks a response body against the spec: the schema the operation declares for that status.
 * Prism answers an invalid request with the spec's own 400 response (declared, so its example is
 * used). Only if the spec declared no 400/422 would Prism fall back to its own 422
 * `application/problem+json` body, which is not part of the spec: that shape is checked minimally.
 */
export async function checkAgainstSpec(
  status: number,
  contentType: string | null,
  body: unknown,
  operationId: OperationId = "listBackgroundTasks",
): Promise<void> {
  if (contentType?.startsWith("application/problem+json")) {
    const p = body as Record<string, unknown>;
    if (typeof p?.title !== "string" || typeof p?.status !== "number") {
      throw new Error(`not a problem+json body: ${JSON.stringify(body)}`);
    }
    return;
  }
  await assertMatchesSpec(status, body, operationId);
}

/** The operation a request addresses, from its method and path (the four routes of the bundle). */
export function operationOf(method: string, url: string): OperationId {
  const path = new URL(url).pathname;
  if (/\/instances\/[^/]+\/tasks$/.test(path) && method === "GET") return "listBackgroundTasks";
  if (/\/tasks\/[^/]+\/progress$/.test(path) && method === "GET") return "showBackgroundTaskProgress";
  if (/\/tasks\/[^/]+$/.test(path)) {
    if (method === "GET") return "showBackgroundTask";
    if (method === "DELETE") return "deleteBackgroundTask";
  }
  throw new Error(`no operation of the spec is ${method} ${path}`);
}

/** GET with fetch, no client: the body (JSON) is validated against the spec before it is returned. */
export async function rawList(
  query: Record<string, string> | string = {},
  headers: Record<string, string> = { "X-Auth-Token": TOKEN },
): Promise<RawAnswer> {
  const res = await fetch(tasksUrl(query), { headers });
  const text = await res.text();
  const body: unknown = text === "" ? undefined : JSON.parse(text);
  await checkAgainstSpec(res.status, res.headers.get("content-type"), body);
  const sl = res.headers.get("sl-violations");
  return { status: res.status, headers: res.headers, body, violations: sl ? JSON.parse(sl) : [] };
}

let examples: Promise<Record<string, { value?: unknown }>> | undefined;
/** `components.examples` of the bundle (dereferenced), e.g. the seed's `ListBackgroundTasksReferencePage`. */
export async function specExample(name: string): Promise<unknown> {
  examples ??= loadBundle().then((doc) => (doc.components?.examples ?? {}) as Record<string, { value?: unknown }>);
  const example = (await examples)[name];
  if (!example) throw new Error(`no example ${name} in the bundle`);
  return example.value;
}

/**
 * A fetch that counts calls and delegates to the global fetch, optionally adding headers (e.g.
 * `Prefer: code=404`). Every body it receives is checked against the spec (the schema of the
 * operation the request addresses, for the status received); violations are collected
 * in `specErrors` (not thrown: the wrapper would report a thrown error as a network failure).
 */
export function countingFetch(extraHeaders: Record<string, string> = {}) {
  const calls: Request[] = [];
  const answers: { status: number; headers: Headers; body: unknown }[] = [];
  const specErrors: string[] = [];
  const fn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    for (const [k, v] of Object.entries(extraHeaders)) request.headers.set(k, v);
    calls.push(request.clone());
    const res = await globalThis.fetch(request);
    const text = await res.clone().text();
    try {
      const body: unknown = text === "" ? undefined : JSON.parse(text);
      answers.push({ status: res.status, headers: res.headers, body });
      await checkAgainstSpec(res.status, res.headers.get("content-type"), body, operationOf(request.method, request.url));
    } catch (err) {
      specErrors.push(`${request.method} ${request.url}: ${(err as Error).message}`);
    }
    return res;
  };
  return Object.assign(fn, { calls, answers, specErrors });
}

/** The wrapper on the mock with an IAM token, no retries, and `fetch` injected (to count or reshape requests). */
export function clientOnMock(fetch: (request: Request) => Promise<Response>): BackgroundTasksClient {
  return createBackgroundTasksClient({ endpoint: prismUrl(), projectId: PROJECT_ID, credentials: { token: TOKEN }, retry: false, fetch });
}
