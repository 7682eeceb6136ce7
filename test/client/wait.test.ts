/**
 * waitForBackgroundTask against a real local server. Time is a fake clock that only the
 * injected sleeper moves, so no test waits for a poll interval in real time; the pauses it
 * asked for are recorded and asserted exactly.
 */
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createClientWith, type BackgroundTasksClientOptions } from "../../src/client.js";
import {
  DmsApiError,
  DmsError,
  DmsNetworkError,
  DmsTaskFailedError,
  DmsValidationError,
  DmsWaitTimeoutError,
  type BackgroundTask,
} from "../../src/index.js";
import { sleep as realSleep, type Sleep } from "../../src/retry.js";
import { type Reply, task, useTestServer } from "./server.js";

const PROJECT = "0123456789abcdef0123456789abcdef";
const INSTANCE = "inst-1234";
const TASK = "ff80808272dcc90f0172df1e490f41b0";
const TOKEN = "wait-test-token-0123456789";
const ids = { instanceId: INSTANCE, taskId: TASK };

const server = useTestServer();
afterEach(() => vi.restoreAllMocks());

const withStatus = (status: string): Reply => ({ status: 200, body: { task_count: "1", tasks: [task(TASK, { status })] } });
/** Replies in order; the last one repeats. */
function script(...replies: Reply[]): void {
  let i = 0;
  server.setHandler(() => replies[Math.min(i++, replies.length - 1)]!);
}

/** A client on a fake clock: `sleep` advances it and records the pause. */
function client(extra: Partial<BackgroundTasksClientOptions> = {}, opts: { random?: number; sleep?: Sleep } = {}) {
  const clock = { t: 0 };
  const pauses: number[] = [];
  const c = createClientWith(
    { endpoint: server.url, projectId: PROJECT, credentials: { token: TOKEN }, ...extra },
    {
      random: () => opts.random ?? 0.5,
      sleep:
        opts.sleep ??
        (async (ms, signal) => {
          signal?.throwIfAborted();
          pauses.push(ms);
          clock.t += ms;
        }),
      clock: () => clock.t,
    },
  );
  return { c, pauses, clock };
}

const failure = (p: Promise<unknown>) => p.then(
  () => expect.unreachable("resolved"),
  (e: unknown) => e,
);

describe("terminal statuses", () => {
  it("CREATED -> EXECUTING -> SUCCESS: resolves with the task; onPoll saw each status; 3 requests", async () => {
    script(withStatus("CREATED"), withStatus("EXECUTING"), withStatus("SUCCESS"));
    const seen: string[] = [];
    const { c, pauses } = client();
    const done = await c.waitForBackgroundTask({ ...ids, onPoll: (t) => void seen.push(t.status!) });
    expect(done).toMatchObject({ id: TASK, status: "SUCCESS" });
    expect(seen).toEqual(["CREATED", "EXECUTING", "SUCCESS"]);
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((r) => r.method === "GET" && r.path === `/v2/${PROJECT}/instances/${INSTANCE}/tasks/${TASK}`)).toBe(true);
    expect(pauses).toEqual([2000, 3000]); // default first interval, then x1.5 (jitter factor 1 at random 0.5)
  });

  it("already SUCCESS: one request, no pause", async () => {
    script(withStatus("SUCCESS"));
    const { c, pauses } = client();
    await expect(c.waitForBackgroundTask(ids)).resolves.toMatchObject({ status: "SUCCESS" });
    expect(server.requests).toHaveLength(1);
    expect(pauses).toEqual([]);
  });

  it.each(["FAILED", "CANCELLED", "DELETED"])("CREATED -> EXECUTING -> %s: DmsTaskFailedError with task and status", async (status) => {
    script(withStatus("CREATED"), withStatus("EXECUTING"), withStatus(status));
    const e = await failure(client().c.waitForBackgroundTask(ids));
    expect(e).toBeInstanceOf(DmsTaskFailedError);
    expect(e).toBeInstanceOf(DmsError);
    const f = e as DmsTaskFailedError;
    expect(f.name).toBe("DmsTaskFailedError");
    expect(f.status).toBe(status);
    expect(f.task).toMatchObject({ id: TASK, status });
    expect(f.message).toContain(status);
    expect(server.requests).toHaveLength(3);
  });

  it("a new status value or none keeps the wait going", async () => {
    script(withStatus("QUEUED"), { status: 200, body: { task_count: "1", tasks: [{ id: TASK }] } }, withStatus("SUCCESS"));
    await expect(client().c.waitForBackgroundTask(ids)).resolves.toMatchObject({ status: "SUCCESS" });
    expect(server.requests).toHaveLength(3);
  });
});

describe("timing", () => {
  it("times out with DmsWaitTimeoutError naming the last status; the wait lasts exactly timeoutMs", async () => {
    script(withStatus("EXECUTING"));
    const { c, pauses, clock } = client();
    const e = await failure(c.waitForBackgroundTask({ ...ids, timeoutMs: 60_000 }));
    expect(e).toBeInstanceOf(DmsWaitTimeoutError);
    expect(e).toBeInstanceOf(DmsError);
    const w = e as DmsWaitTimeoutError;
    expect(w).toMatchObject({ name: "DmsWaitTimeoutError", lastStatus: "EXECUTING", taskId: TASK, timeoutMs: 60_000, polls: 7 });
    expect(w.message).toMatch(/60000 ms.*last status EXECUTING/);
    expect(w.cause).toBeUndefined();
    // 2000, 3000, 4500, 6750, 10125, 15187.5, then the rest of the minute.
    expect(pauses).toEqual([2000, 3000, 4500, 6750, 10125, 15187.5, 18437.5]);
    expect(clock.t).toBe(60_000);
    expect(server.requests).toHaveLength(7);
  });

  it("intervals grow to 30 s and stay there; jitter stays within ±20 % and under the cap", async () => {
    script(withStatus("EXECUTING"));
    const low = client({}, { random: 0 });
    await failure(low.c.waitForBackgroundTask({ ...ids, timeoutMs: 300_000 }));
    expect(low.pauses.slice(0, 3)).toEqual([1600, 2400, 3600]);
    const high = client({}, { random: 0.999999 });
    await failure(high.c.waitForBackgroundTask({ ...ids, timeoutMs: 300_000 }));
    for (const p of [...low.pauses, ...high.pauses]) expect(p).toBeLessThanOrEqual(30_000);
    expect(high.pauses).toContain(30_000);
    const mid = client();
    await failure(mid.c.waitForBackgroundTask({ ...ids, timeoutMs: 300_000 }));
    expect(mid.pauses.filter((p) => p === 30_000).length).toBeGreaterThan(3);
  });

  it("pollIntervalMs sets the first interval; one above 30 s becomes the cap", async () => {
    script(withStatus("CREATED"), withStatus("CREATED"), withStatus("SUCCESS"));
    const a = client();
    await a.c.waitForBackgroundTask({ ...ids, pollIntervalMs: 500 });
    expect(a.pauses).toEqual([500, 750]);
    script(withStatus("CREATED"), withStatus("CREATED"), withStatus("SUCCESS"));
    const b = client();
    await b.c.waitForBackgroundTask({ ...ids, pollIntervalMs: 45_000 });
    expect(b.pauses).toEqual([45_000, 45_000]);
  });

  it("the poll in flight is bounded by the time left: aborted at the deadline, connection closed", async () => {
    server.setHandler(() => ({ hang: true }));
    const { c } = client({ timeoutMs: 600_000 }); // the per-attempt timeout is far away
    const e = await failure(c.waitForBackgroundTask({ ...ids, timeoutMs: 50 })); // 50 real ms
    expect(e).toMatchObject({ name: "DmsWaitTimeoutError", lastStatus: undefined, polls: 1 });
    expect((e as Error).message).toContain("no status read yet");
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient()).toBe(true);
    expect(server.requests).toHaveLength(1);
  });
});

describe("errors during the wait", () => {
  it("injected 503s and resets do not end it: each poll's retries, then the next poll", async () => {
    const busy: Reply = { status: 503, body: { error_code: "APIGW.0103", error_msg: "busy" } };
    server.queue(busy, busy, busy, { destroy: true }, { destroy: true }, { destroy: true });
    script(withStatus("EXECUTING"), withStatus("SUCCESS"));
    const seen: string[] = [];
    const { c, pauses } = client();
    await expect(c.waitForBackgroundTask({ ...ids, onPoll: (t) => void seen.push(t.status!) })).resolves.toMatchObject({
      status: "SUCCESS",
    });
    expect(server.requests).toHaveLength(3 + 3 + 1 + 1); // two polls of 3 attempts each, then two reads
    expect(seen).toEqual(["EXECUTING", "SUCCESS"]);
    expect(pauses.filter((p) => p >= 2000)).toEqual([2000, 3000, 4500]); // poll pauses (retry backoffs are shorter)
  });

  it("a network failure that cannot heal (unknown host) ends the wait at once", async () => {
    let calls = 0;
    const fetch = async () => {
      calls++;
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("getaddrinfo ENOTFOUND dms.example"), { code: "ENOTFOUND" }) });
    };
    const e = await failure(client({ fetch }).c.waitForBackgroundTask(ids));
    expect(e).toBeInstanceOf(DmsNetworkError);
    expect(calls).toBe(1);
  });

  it("a timeout while the last poll failed carries that error as cause", async () => {
    script(withStatus("EXECUTING"), { destroy: true });
    const e = (await failure(client({ retry: false }).c.waitForBackgroundTask({ ...ids, timeoutMs: 10_000 }))) as DmsWaitTimeoutError;
    expect(e).toBeInstanceOf(DmsWaitTimeoutError);
    expect(e.lastStatus).toBe("EXECUTING");
    expect(e.cause).toBeInstanceOf(DmsNetworkError);
  });

  it.each([
    ["a 404", { status: 404, body: { error_code: "DMS.00404099", error_msg: "no such task" } }],
    ["an empty tasks array (TaskNotFound)", { status: 200, body: { task_count: "0", tasks: [] } }],
  ])("%s in the first 20 s is tolerated", async (_, notYet) => {
    script(notYet, notYet, withStatus("CREATED"), withStatus("SUCCESS"));
    await expect(client().c.waitForBackgroundTask(ids)).resolves.toMatchObject({ status: "SUCCESS" });
    expect(server.requests).toHaveLength(4);
  });

  it("a 404 that lasts beyond the grace period ends the wait with that 404", async () => {
    script({ status: 404, body: { error_code: "DMS.00404099", error_msg: "no such task" } });
    const e = await failure(client().c.waitForBackgroundTask(ids));
    expect(e).toMatchObject({ name: "DmsApiError", status: 404, errorCode: "DMS.00404099" });
    // polls at 0, 2000, 5000, 9500, 16250 are in the grace period; the one at 26375 is not.
    expect(server.requests).toHaveLength(6);
  });

  it.each([
    ["instance does not exist (404 DMS.00404022)", { status: 404, body: { error_code: "DMS.00404022", error_msg: "no instance" } }, 404],
    ["401", { status: 401, body: { error_code: "APIGW.0301", error_msg: "expired" } }, 401],
    ["400", { status: 400, body: { error_code: "DMS.00400026", error_msg: "not allowed" } }, 400],
    ["a 200 for another task (InvalidResponse)", { status: 200, body: { task_count: "1", tasks: [task("other")] } }, 200],
  ])("%s ends the wait at once", async (_, reply, status) => {
    script(reply);
    const e = await failure(client().c.waitForBackgroundTask(ids));
    expect(e).toBeInstanceOf(DmsApiError);
    expect(e).toMatchObject({ status });
    expect(server.requests).toHaveLength(1);
  });

  it("a promise returned by onPoll is not awaited, and its rejection neither ends the wait nor goes unhandled", async () => {
    script(withStatus("EXECUTING"), withStatus("SUCCESS"));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      let calls = 0;
      const t = await client().c.waitForBackgroundTask({
        ...ids,
        onPoll: async () => {
          calls++;
          throw new Error("async onPoll");
        },
      });
      expect(t.status).toBe("SUCCESS");
      expect(calls).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });

  it("an error thrown by onPoll ends the wait with that error", async () => {
    script(withStatus("EXECUTING"));
    const mine = new Error("from onPoll");
    const e = await failure(
      client().c.waitForBackgroundTask({
        ...ids,
        onPoll: () => {
          throw mine;
        },
      }),
    );
    expect(e).toBe(mine);
    expect(server.requests).toHaveLength(1);
  });
});

describe("one request at a time, aborts, timers", () => {
  it("never has two requests in flight", async () => {
    let inFlight = 0;
    let most = 0;
    let n = 0;
    server.setHandler(async (r) => {
      inFlight++;
      most = Math.max(most, inFlight);
      void r.closed.then(() => inFlight--);
      return { ...withStatus(++n < 5 ? "EXECUTING" : "SUCCESS"), delayMs: 5 };
    });
    await client().c.waitForBackgroundTask(ids);
    expect(server.requests).toHaveLength(5);
    expect(most).toBe(1);
  });

  it("an abort mid-poll rejects with its reason at once, closes the connection, and leaves no timer", async () => {
    const timers = new Map<unknown, number>();
    const realSet = globalThis.setTimeout;
    const realClear = globalThis.clearTimeout;
    // Only the client's long timers: the per-attempt timeout and the wait's deadline.
    vi.spyOn(globalThis, "setTimeout").mockImplementation(((fn: () => void, ms?: number) => {
      const handle = realSet(fn, ms);
      if ((ms ?? 0) >= 1_000_000) timers.set(handle, ms!);
      return handle;
    }) as typeof setTimeout);
    vi.spyOn(globalThis, "clearTimeout").mockImplementation(((handle: NodeJS.Timeout) => {
      timers.delete(handle);
      realClear(handle);
    }) as typeof clearTimeout);

    script(withStatus("CREATED"), { hang: true });
    const controller = new AbortController();
    const { c } = client({ timeoutMs: 3_000_000 });
    const p = failure(c.waitForBackgroundTask({ ...ids, timeoutMs: 5_000_000, signal: controller.signal }));
    await server.waitForRequests(2);
    expect(timers.size).toBe(2); // the live attempt's timeout and the wait's deadline
    const reason = new Error("user stop");
    controller.abort(reason);
    expect(await p).toBe(reason);
    expect(timers.size).toBe(0);
    await server.requests[1]!.closed;
    expect(server.requests[1]!.abortedByClient()).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it("an abort during the pause between polls rejects at once (real sleep, 2 s pause never waited)", async () => {
    script(withStatus("CREATED"));
    const controller = new AbortController();
    let pausing!: () => void;
    const paused = new Promise<void>((r) => (pausing = r));
    const { c } = client({}, {
      sleep: (ms, signal) => {
        pausing();
        return realSleep(ms, signal);
      },
    });
    const p = failure(c.waitForBackgroundTask({ ...ids, signal: controller.signal }));
    await paused;
    controller.abort(new Error("stop now"));
    expect(await p).toMatchObject({ message: "stop now" });
    expect(server.requests).toHaveLength(1);
  });

  it("300 waits sharing one signal: no MaxListenersExceededWarning, no listener left on it", async () => {
    let n = 0;
    server.setHandler(() => ({ ...withStatus(++n <= 300 ? "EXECUTING" : "SUCCESS"), delayMs: 5 }));
    const warnings: Error[] = [];
    const onWarning = (w: Error) => void warnings.push(w);
    process.on("warning", onWarning);
    try {
      const signal = new AbortController().signal;
      const { c } = client({}, { sleep: async () => {} }); // one clock for 300 waits: keep it still
      const done = await Promise.all(Array.from({ length: 300 }, () => c.waitForBackgroundTask({ ...ids, signal })));
      expect(done.every((t) => t.status === "SUCCESS")).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 10)); // warnings arrive on a later tick
      expect(warnings.map((w) => w.message)).toEqual([]);
      expect(getEventListeners(signal, "abort")).toHaveLength(0);
    } finally {
      process.off("warning", onWarning);
    }
  });

  it("an already aborted signal sends nothing", async () => {
    const controller = new AbortController();
    controller.abort(new Error("before"));
    await expect(client().c.waitForBackgroundTask({ ...ids, signal: controller.signal })).rejects.toMatchObject({ message: "before" });
    expect(server.requests).toHaveLength(0);
  });
});

describe("input checks: a DmsValidationError and nothing sent", () => {
  it.each<[string, Record<string, unknown>]>([
    ["timeoutMs", { timeoutMs: 0 }],
    ["timeoutMs", { timeoutMs: -1 }],
    ["timeoutMs", { timeoutMs: Number.NaN }],
    ["timeoutMs", { timeoutMs: Number.POSITIVE_INFINITY }],
    ["timeoutMs", { timeoutMs: "60000" }],
    ["timeoutMs", { timeoutMs: 2 ** 31 }],
    ["pollIntervalMs", { pollIntervalMs: 99 }],
    ["pollIntervalMs", { pollIntervalMs: Number.NaN }],
    ["pollIntervalMs", { pollIntervalMs: null }],
    ["onPoll", { onPoll: "log" }],
    ["signal", { signal: {} }],
    ["taskId", { taskId: "a/b" }],
    ["taskId", { taskId: "" }],
    ["instanceId", { instanceId: undefined }],
    ["options.interval", { interval: 1000 }],
    ["options.task_id", { task_id: TASK }],
  ])("bad %s", async (argument, override) => {
    const e = await failure(client().c.waitForBackgroundTask({ ...ids, ...override } as never));
    expect(e).toBeInstanceOf(DmsValidationError);
    expect((e as DmsValidationError).argument).toBe(argument);
    expect(server.requests).toHaveLength(0);
  });

  it("accepts the documented bounds", async () => {
    script(withStatus("SUCCESS"));
    const t: BackgroundTask = await client().c.waitForBackgroundTask({ ...ids, timeoutMs: 2 ** 31 - 1, pollIntervalMs: 100 });
    expect(t.status).toBe("SUCCESS");
  });
});
