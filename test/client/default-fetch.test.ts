/**
 * The request a client puts on the wire must not depend on whether `fetch` was injected: the
 * default (`globalThis.fetch`, captured when the client is created) and an injected fetch send
 * the same method, target and headers, and behave the same on redirects, timeouts, aborts and
 * refused connections. An injected fetch receives a real `Request`, as the option promises.
 * (Guards any change to how the default path builds its requests, e.g. the plain-request idea
 * in bench/NOTES.md.)
 */
import { afterEach, describe, expect, it } from "vitest";
import { type BackgroundTasksClientOptions, createBackgroundTasksClient, DmsApiError, DmsNetworkError } from "../../src/index.js";
import { signRequest } from "../../src/auth/signer.js";
import { closedPortUrl, type RecordedRequest, startServer, task, useTestServer } from "./server.js";

import { AK, FIXED, INSTANCE, PROJECT, SK, STS } from "./fixtures.js";
const OK = { status: 200, body: { task_count: "1", tasks: [task("t1")] } };

const server = useTestServer(() => OK);

/** The injected path: records what the client hands to fetch, then sends it with the real fetch. */
function injected() {
  const received: unknown[] = [];
  const fetch = (request: Request) => {
    received.push(request);
    return globalThis.fetch(request);
  };
  return { fetch, received };
}

type Path = "default fetch" | "injected fetch";
const PATHS: readonly Path[] = ["default fetch", "injected fetch"];

function client(path: Path, extra: Partial<BackgroundTasksClientOptions> = {}) {
  const base: BackgroundTasksClientOptions = { endpoint: server.url, projectId: PROJECT, credentials: { token: "transport-token-0123456789" } };
  return createBackgroundTasksClient({ ...base, ...(path === "injected fetch" ? { fetch: injected().fetch } : {}), ...extra });
}

function verifies(r: RecordedRequest): boolean {
  const names = /SignedHeaders=([^,]+)/.exec(String(r.headers.authorization))![1]!.split(";");
  const headers = Object.fromEntries(names.map((n) => [n, String(r.headers[n])]));
  const url = new URL(r.url, `http://${r.headers.host}`);
  return signRequest({ method: r.method, url, headers }, { accessKey: AK, secretKey: SK }) === r.headers.authorization;
}

const CREDENTIALS = [
  ["token", { token: "transport-token-0123456789" }],
  ["AK/SK", { accessKey: AK, secretKey: SK }],
  ["AK/SK + security token", { accessKey: AK, secretKey: SK, securityToken: STS }],
] as const;

describe("default fetch vs injected fetch", () => {
  it.each(CREDENTIALS)("send the same request, byte for byte in method, target and headers (%s)", async (kind, credentials) => {
    const inj = injected();
    const args = { instanceId: INSTANCE, start: 3, limit: 7, beginTime: "20240101000000", endTime: "20240201000000" };
    const viaDefault = createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials, now: () => FIXED });
    const viaInjected = createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials, now: () => FIXED, fetch: inj.fetch });
    await expect(viaDefault.listBackgroundTasks(args)).resolves.toEqual(OK.body);
    await expect(viaInjected.listBackgroundTasks(args)).resolves.toEqual(OK.body);

    expect(server.requests).toHaveLength(2);
    const [a, b] = server.requests as [RecordedRequest, RecordedRequest];
    expect(a.method).toBe("GET");
    expect(a.url).toBe(`/v2/${PROJECT}/instances/${INSTANCE}/tasks?start=3&limit=7&begin_time=20240101000000&end_time=20240201000000`);
    expect({ method: a.method, url: a.url, headers: a.headers }).toEqual({ method: b.method, url: b.url, headers: b.headers });
    expect(a.headers.accept).toBe("application/json");
    if (kind === "token") expect(a.headers["x-auth-token"]).toBe("transport-token-0123456789");
    else expect(verifies(a)).toBe(true);
    // The public option's promise: an injected fetch gets a real Request.
    expect(inj.received).toHaveLength(1);
    expect(inj.received[0]).toBeInstanceOf(Request);
  });

  describe("globalThis.fetch and the default transport", () => {
    const original = globalThis.fetch;
    afterEach(() => {
      globalThis.fetch = original;
    });

    // The client-on-fetch project makes globalThis.fetch the default (as it was before
    // src/transport.ts); the default project uses the node:http transport.
    const defaultIsFetch = process.env["DMS_TEST_TRANSPORT"] === "fetch";

    it(defaultIsFetch ? "a later replacement is not used; one in place at creation is" : "globalThis.fetch is never called", async () => {
      const calls: unknown[] = [];
      const spy = ((...a: Parameters<typeof fetch>) => (calls.push(a), original(...a))) as typeof fetch;
      const before = client("default fetch");
      globalThis.fetch = spy;
      await before.listBackgroundTasks({ instanceId: INSTANCE });
      expect(calls).toHaveLength(0);
      const after = client("default fetch");
      await after.listBackgroundTasks({ instanceId: INSTANCE });
      expect(calls).toHaveLength(defaultIsFetch ? 1 : 0);
      expect(server.requests).toHaveLength(2);
    });
  });

  it.each(PATHS)("does not follow a redirect (%s)", async (path) => {
    const other = await startServer();
    try {
      server.setHandler(() => ({ status: 302, headers: { Location: other.url + "/elsewhere" } }));
      const err = await client(path, { retry: false }).listBackgroundTasks({ instanceId: INSTANCE }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DmsApiError);
      expect((err as DmsApiError).status).toBe(302);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it.each(PATHS)("times out an unanswered request and closes the connection (%s)", async (path) => {
    server.setHandler(() => ({ hang: true }));
    const err = await client(path, { timeoutMs: 200, retry: false }).listBackgroundTasks({ instanceId: INSTANCE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmsNetworkError);
    expect(err).toMatchObject({ timedOut: true, attempts: 1 });
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient()).toBe(true);
  });

  it.each(PATHS)("rejects with the caller's abort reason and closes the connection (%s)", async (path) => {
    server.setHandler(() => ({ hang: true }));
    const ac = new AbortController();
    const p = client(path).listBackgroundTasks({ instanceId: INSTANCE, signal: ac.signal });
    await server.waitForRequests(1);
    const reason = new Error("user cancelled");
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient()).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it.each(PATHS)("a refused connection is a DmsNetworkError with the same message (%s)", async (path) => {
    const endpoint = await closedPortUrl();
    const err = await client(path, { endpoint, retry: false }).listBackgroundTasks({ instanceId: INSTANCE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmsNetworkError);
    expect((err as Error).message).toMatch(/^Request failed without a response: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
  });
});
