/**
 * getBackgroundTask, getBackgroundTaskProgress and deleteBackgroundTask against a real local
 * server: request shape, every status path, DELETE's retry-then-404 rule, signing, redaction and
 * input checks. Waits between retries go through an injected, instant sleeper.
 */
import { describe, expect, it } from "vitest";
import { createClientWith, type BackgroundTasksClientOptions } from "../../src/client.js";
import {
  DmsApiError,
  DmsError,
  DmsNetworkError,
  DmsValidationError,
  INVALID_RESPONSE,
  TASK_NOT_FOUND,
  type BackgroundTasksClient,
} from "../../src/index.js";
import { signRequest } from "../../src/auth/signer.js";
import { AK, FIXED, SK } from "./fixtures.js";
import { endlessBody, hugeBody, type RecordedRequest, task, useTestServer } from "./server.js";
import { RESPONSE_TOO_LARGE } from "../../src/body.js";

const PROJECT = "0123456789abcdef0123456789abcdef";
const INSTANCE = "inst-1234";
const TASK = "ff80808272dcc90f0172df1e490f41b0";
const TOKEN = "lifecycle-test-token-0123456789";
const TASK_PATH = `/v2/${PROJECT}/instances/${INSTANCE}/tasks/${TASK}`;
const ONE_TASK = { task_count: "1", tasks: [task(TASK, { name: "bindInstancePublicIp" })] };
const KAFKA_PROGRESS = {
  progress_percentage: 100,
  remain_time: 0,
  step_list: [
    { name: "pre_check", statue: "COMPLETED", start_time: 1763350067752, end_time: 1763350111208 },
    { name: "disk_expansion", statue: "COMPLETED", start_time: 1763350111326, end_time: 1763350189383 },
  ],
};
const ROCKETMQ_PROGRESS = {
  progress_percentage: 40,
  remain_time: 1124,
  step_list: [
    { name: "pre_check", statue: "COMPLETED", start_time: 1765307538503, end_time: 1765307543200 },
    { name: "rolling_scaling", statue: "IN_PROGRESS", start_time: 1765307543286, end_time: null },
    { name: "resume_operation", statue: "WAITING", start_time: null, end_time: null },
  ],
};

const server = useTestServer(() => ({ status: 200, body: ONE_TASK }));

function client(extra: Partial<BackgroundTasksClientOptions> = {}) {
  const waits: number[] = [];
  const c = createClientWith(
    { endpoint: server.url, projectId: PROJECT, credentials: { token: TOKEN }, ...extra },
    { random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
  );
  return { c, waits };
}

const ids = { instanceId: INSTANCE, taskId: TASK };
type Call = "getBackgroundTask" | "getBackgroundTaskProgress" | "deleteBackgroundTask";
const CALLS: Call[] = ["getBackgroundTask", "getBackgroundTaskProgress", "deleteBackgroundTask"];
const call = (c: BackgroundTasksClient, name: Call, args: unknown) => (c[name] as (a: unknown) => Promise<unknown>)(args);
const failure = (p: Promise<unknown>) => p.then(
  () => expect.unreachable("resolved"),
  (e: unknown) => e,
);

describe("getBackgroundTask", () => {
  it("sends GET .../tasks/{task_id} with no query and resolves with the one task", async () => {
    await expect(client().c.getBackgroundTask(ids)).resolves.toEqual(ONE_TASK.tasks[0]);
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([["GET", TASK_PATH]]);
    expect(server.requests[0]!.headers["x-auth-token"]).toBe(TOKEN);
  });

  it("an empty tasks array is a DmsApiError 404 TaskNotFound, not retried", async () => {
    server.setHandler(() => ({ status: 200, body: { task_count: "0", tasks: [] }, headers: { "X-Request-Id": "req-e" } }));
    const e = await failure(client().c.getBackgroundTask(ids));
    expect(e).toBeInstanceOf(DmsApiError);
    expect(e).toMatchObject({ status: 404, errorCode: TASK_NOT_FOUND, requestId: "req-e" });
    expect(TASK_NOT_FOUND).toBe("TaskNotFound");
    expect(server.requests).toHaveLength(1);
  });

  it("a 404 is a DmsApiError 404 with the server's code, not retried", async () => {
    server.setHandler(() => ({ status: 404, body: { error_code: "DMS.00404022", error_msg: "This instance does not exist." } }));
    await expect(client().c.getBackgroundTask(ids)).rejects.toMatchObject({ name: "DmsApiError", status: 404, errorCode: "DMS.00404022" });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ["another task's id", { task_count: "1", tasks: [task("someone-else")] }, /another id/],
    ["two tasks", { task_count: "2", tasks: [task(TASK), task("t2")] }, /2 tasks/],
    ["no tasks array", { task_count: "1" }, /tasks array/],
    ["a numeric status", { task_count: "1", tasks: [{ id: TASK, status: 1 }] }, /status/],
    ["not JSON", "<html>", /not JSON/],
  ])("a 200 with %s is InvalidResponse", async (_, body, re) => {
    server.setHandler(() => ({ status: 200, body }));
    const e = (await failure(client().c.getBackgroundTask(ids))) as DmsApiError;
    expect(e).toMatchObject({ name: "DmsApiError", status: 200, errorCode: INVALID_RESPONSE });
    expect(e.errorMsg).toMatch(re);
    expect(server.requests).toHaveLength(1);
  });

  it("503 then 200: retried, resolves with the task", async () => {
    server.queue({ status: 503, body: { error_code: "APIGW.0103", error_msg: "busy" } });
    const { c, waits } = client();
    await expect(c.getBackgroundTask(ids)).resolves.toMatchObject({ id: TASK });
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it("resets on every attempt: DmsNetworkError after maxAttempts", async () => {
    server.setHandler(() => ({ destroy: true }));
    await expect(client().c.getBackgroundTask(ids)).rejects.toMatchObject({ name: "DmsNetworkError", attempts: 3, timedOut: false });
    expect(server.requests).toHaveLength(3);
  });

  it("a 401 is not retried", async () => {
    server.setHandler(() => ({ status: 401, body: { error_code: "APIGW.0301", error_msg: "expired" } }));
    await expect(client().c.getBackgroundTask(ids)).rejects.toMatchObject({ status: 401, errorCode: "APIGW.0301" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("getBackgroundTaskProgress", () => {
  it.each([
    ["Kafka", KAFKA_PROGRESS],
    ["RocketMQ (null times of steps not started or finished)", ROCKETMQ_PROGRESS],
    ["an empty object", {}],
  ])("sends GET .../tasks/{task_id}/progress and resolves with the wire shape: %s", async (_, body) => {
    server.setHandler(() => ({ status: 200, body: { ...body, extra_field: "kept" } }));
    await expect(client().c.getBackgroundTaskProgress(ids)).resolves.toEqual({ ...body, extra_field: "kept" });
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([["GET", TASK_PATH + "/progress"]]);
  });

  it.each([
    ["a string percentage", { progress_percentage: "40" }, /progress_percentage/],
    ["a null remain_time", { remain_time: null }, /remain_time/],
    ["a step_list object", { step_list: {} }, /step_list that is not an array/],
    ["a null step", { step_list: [null] }, /step_list\[0\]/],
    ["a string start_time", { step_list: [{ name: "a", start_time: "1763350067752" }] }, /step_list\[0\]\.start_time/],
    ["a numeric statue", { step_list: [{ name: "a" }, { statue: 1 }] }, /step_list\[1\]\.statue/],
    ["a JSON array", [], /not a JSON object/],
    ["an empty body", "", /empty/],
  ])("a 200 with %s is InvalidResponse, not retried", async (_, body, re) => {
    server.setHandler(() => ({ status: 200, body }));
    const e = (await failure(client().c.getBackgroundTaskProgress(ids))) as DmsApiError;
    expect(e).toMatchObject({ status: 200, errorCode: INVALID_RESPONSE });
    expect(e.errorMsg).toMatch(re);
    expect(server.requests).toHaveLength(1);
  });

  it("a 404 (e.g. a RabbitMQ instance, which has no progress) is a DmsApiError 404", async () => {
    server.setHandler(() => ({ status: 404, body: { error_code: "APIGW.0101", error_msg: "not found" } }));
    await expect(client().c.getBackgroundTaskProgress(ids)).rejects.toMatchObject({ status: 404, errorCode: "APIGW.0101" });
    expect(server.requests).toHaveLength(1);
  });

  it("502 then 200: retried", async () => {
    server.queue({ status: 502 });
    server.setHandler(() => ({ status: 200, body: KAFKA_PROGRESS }));
    await expect(client().c.getBackgroundTaskProgress(ids)).resolves.toEqual(KAFKA_PROGRESS);
    expect(server.requests).toHaveLength(2);
  });
});

describe("deleteBackgroundTask", () => {
  it.each([
    [204, undefined],
    [200, {}],
    [200, { message: "ok" }],
    [202, undefined],
  ])("resolves with undefined on %i (body %j), after one DELETE with no body", async (status, body) => {
    server.setHandler(() => ({ status, body }));
    await expect(client().c.deleteBackgroundTask(ids)).resolves.toBeUndefined();
    expect(server.requests.map((r) => [r.method, r.url])).toEqual([["DELETE", TASK_PATH]]);
    const h = server.requests[0]!.headers;
    expect(h["content-length"] ?? "0").toBe("0");
    expect(h["transfer-encoding"]).toBeUndefined();
    expect(h["content-type"]).toBeUndefined();
  });

  it.each([201, 206])("another 2xx (%i) is InvalidResponse naming the status", async (status) => {
    server.setHandler(() => ({ status, body: {} }));
    const e = (await failure(client().c.deleteBackgroundTask(ids))) as DmsApiError;
    expect(e).toMatchObject({ status, errorCode: INVALID_RESPONSE });
    expect(e.errorMsg).toContain(String(status));
  });

  it("a 404 on the first attempt is a DmsApiError 404, not retried", async () => {
    server.setHandler(() => ({ status: 404, body: { error_code: "DMS.00404099", error_msg: "no such task" } }));
    await expect(client().c.deleteBackgroundTask(ids)).rejects.toMatchObject({ status: 404, errorCode: "DMS.00404099" });
    expect(server.requests).toHaveLength(1);
  });

  it("retried like a GET: 500 then 204 resolves", async () => {
    server.queue({ status: 500 });
    server.setHandler(() => ({ status: 204 }));
    await expect(client().c.deleteBackgroundTask(ids)).resolves.toBeUndefined();
    expect(server.requests.map((r) => r.method)).toEqual(["DELETE", "DELETE"]);
  });

  describe("a 404 after an attempt whose outcome is unknown resolves (the task is gone)", () => {
    it.each([
      ["a reset", { destroy: true }],
      ["a 504 from the gateway", { status: 504 }],
      ["a 502 from the gateway", { status: 502 }],
    ])("%s, then 404", async (_, first) => {
      server.queue(first, { status: 404, body: { error_code: "DMS.00404099", error_msg: "gone" } });
      await expect(client().c.deleteBackgroundTask(ids)).resolves.toBeUndefined();
      expect(server.requests).toHaveLength(2);
    });

    it("a per-attempt timeout, then 404", async () => {
      server.queue({ hang: true }, { status: 404 });
      await expect(client({ timeoutMs: 50 }).c.deleteBackgroundTask(ids)).resolves.toBeUndefined();
      expect(server.requests).toHaveLength(2);
      expect(server.requests[0]!.abortedByClient()).toBe(true);
    });

    it("a reset, a 503, then 404 (the unknown outcome is remembered across attempts)", async () => {
      server.queue({ destroy: true }, { status: 503 }, { status: 404 });
      await expect(client().c.deleteBackgroundTask(ids)).resolves.toBeUndefined();
      expect(server.requests).toHaveLength(3);
    });
  });

  it("a 502 then the instance's own 404 (DMS.00404022) rejects: a task in a missing instance was never deleted", async () => {
    server.queue({ status: 502 }, { status: 404, body: { error_code: "DMS.00404022", error_msg: "This instance does not exist." } });
    await expect(client().c.deleteBackgroundTask(ids)).rejects.toMatchObject({ status: 404, errorCode: "DMS.00404022" });
    expect(server.requests).toHaveLength(2);
  });

  it("a 503 (not processed) then 404 rejects with the 404", async () => {
    server.queue({ status: 503 }, { status: 404, body: { error_code: "DMS.00404099", error_msg: "no such task" } });
    await expect(client().c.deleteBackgroundTask(ids)).rejects.toMatchObject({ status: 404 });
    expect(server.requests).toHaveLength(2);
  });

  it("getBackgroundTask never turns a 404 into a value, even after a reset", async () => {
    server.queue({ destroy: true }, { status: 404 });
    await expect(client().c.getBackgroundTask(ids)).rejects.toMatchObject({ status: 404 });
  });
});

describe("for every new call", () => {
  /** The gateway's check: the signature rebuilt from what arrived. */
  function validSignature(r: RecordedRequest): boolean {
    const m = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=[0-9a-f]{64}$/.exec(String(r.headers.authorization));
    if (!m) return false;
    const headers: Record<string, string> = {};
    for (const name of m[2]!.split(";")) headers[name] = String(r.headers[name]);
    const url = new URL(r.url, `http://${r.headers.host}`);
    return signRequest({ method: r.method, url, headers }, { accessKey: m[1]!, secretKey: SK }) === r.headers.authorization;
  }

  it.each(CALLS)("%s: AK/SK signs every attempt, each with a fresh X-Sdk-Date", async (name) => {
    let t = FIXED.getTime();
    const { c } = client({ credentials: { accessKey: AK, secretKey: SK }, now: () => new Date((t += 1000)) });
    server.queue({ destroy: true });
    server.setHandler(() => (name === "getBackgroundTaskProgress" ? { status: 200, body: KAFKA_PROGRESS } : { status: 200, body: ONE_TASK }));
    await call(c, name, ids);
    expect(server.requests).toHaveLength(2);
    for (const r of server.requests) {
      expect(r.headers["x-auth-token"]).toBeUndefined();
      expect(validSignature(r)).toBe(true);
    }
    expect(server.requests[0]!.headers["x-sdk-date"]).not.toBe(server.requests[1]!.headers["x-sdk-date"]);
    expect(server.requests[0]!.method).toBe(name === "deleteBackgroundTask" ? "DELETE" : "GET");
  });

  it.each(CALLS)("%s: a token or signature echoed back is redacted from the error", async (name) => {
    server.setHandler((r) => ({
      status: 403,
      body: { error_code: "APIGW.0302", error_msg: `denied for ${String(r.headers["x-auth-token"])}` },
    }));
    const e = (await failure(call(client().c, name, ids))) as DmsApiError;
    expect(e.errorMsg).toContain("[REDACTED]");
    expect(JSON.stringify({ ...e, message: e.message })).not.toContain(TOKEN);
  });

  it.each(CALLS)("%s: an abort rejects with its reason at once and closes the connection", async (name) => {
    server.setHandler(() => ({ hang: true }));
    const controller = new AbortController();
    const p = failure(call(client().c, name, { ...ids, signal: controller.signal }));
    await server.waitForRequests(1);
    const reason = new Error("stop");
    controller.abort(reason);
    expect(await p).toBe(reason);
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient()).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it.each(CALLS)("%s: the per-attempt timeout applies", async (name) => {
    server.setHandler(() => ({ hang: true }));
    const e = await failure(call(client({ timeoutMs: 50, retry: false }).c, name, ids));
    expect(e).toBeInstanceOf(DmsNetworkError);
    expect(e).toMatchObject({ timedOut: true, attempts: 1 });
  });
});

describe("maxResponseBytes bounds every body of every new call", () => {
  const CAP = 64 * 1024;
  it.each(CALLS)("%s: a huge Content-Length (200) is ResponseTooLarge, not retried, connection closed", async (name) => {
    const reply = hugeBody(100 * 1024 * 1024, 200);
    server.setHandler(() => reply);
    const e = await failure(call(client({ maxResponseBytes: CAP }).c, name, ids));
    expect(e).toMatchObject({ name: "DmsApiError", status: 200, errorCode: RESPONSE_TOO_LARGE });
    await reply.stats.closed;
    expect(reply.stats.cutOff()).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it.each(CALLS)("%s: an endless chunked error body (404) is cut off at the cap", async (name) => {
    const reply = endlessBody(404);
    server.setHandler(() => reply);
    const e = await failure(call(client({ maxResponseBytes: CAP }).c, name, ids));
    expect(e).toMatchObject({ name: "DmsApiError", status: 404, errorCode: RESPONSE_TOO_LARGE });
    await reply.stats.closed;
    expect(reply.stats.cutOff()).toBe(true);
    expect(reply.stats.bytes).toBeLessThan(64 * CAP); // stopped near the cap, far from the server's 2 GiB
  });

  it("a wait ends on a body over the cap (not a transient error)", async () => {
    const reply = hugeBody(100 * 1024 * 1024, 200);
    server.setHandler(() => reply);
    const { c } = client({ maxResponseBytes: CAP });
    await expect(c.waitForBackgroundTask(ids)).rejects.toMatchObject({ errorCode: RESPONSE_TOO_LARGE });
    expect(server.requests).toHaveLength(1);
  });
});

describe("input checks: a DmsValidationError (a rejected promise) and nothing sent", () => {
  const bad: [string, Record<string, unknown>][] = [
    ["taskId", { taskId: "" }],
    ["taskId", { taskId: "t".repeat(65) }],
    ["taskId", { taskId: "a/b" }],
    ["taskId", { taskId: ".." }],
    ["taskId", { taskId: "t?x#y" }],
    ["taskId", { taskId: 42 }],
    ["taskId", { taskId: undefined }],
    ["instanceId", { instanceId: "a b" }],
    ["signal", { signal: "nope" }],
    ["options.task_id", { task_id: TASK }],
    ["options.timeoutMs", { timeoutMs: 1000 }],
  ];
  for (const name of CALLS) {
    it.each(bad)(`${name}: bad %s`, async (argument, override) => {
      const p = call(client().c, name, { ...ids, ...override });
      expect(p).toBeInstanceOf(Promise);
      const e = await failure(p);
      expect(e).toBeInstanceOf(DmsValidationError);
      expect(e).toBeInstanceOf(DmsError);
      expect((e as DmsValidationError).argument).toBe(argument);
      expect(server.requests).toHaveLength(0);
    });
  }

  it.each(CALLS)("%s: a non-object argument", async (name) => {
    await expect(call(client().c, name, null)).rejects.toMatchObject({ name: "DmsValidationError", argument: "options" });
    expect(server.requests).toHaveLength(0);
  });

  it("the largest valid ids are sent as is", async () => {
    const taskId = "T_-9".repeat(16);
    await client().c.deleteBackgroundTask({ instanceId: INSTANCE, taskId });
    expect(server.requests[0]!.path).toBe(`/v2/${PROJECT}/instances/${INSTANCE}/tasks/${taskId}`);
  });
});
