/**
 * One AbortSignal shared by 300 concurrent calls: no MaxListenersExceededWarning (the client
 * adds no listener to the caller's signal, in an attempt or in a backoff wait), nothing left
 * on the signal afterwards, its max-listeners setting untouched, and an abort still stops
 * every call at once.
 */
import { getEventListeners, getMaxListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBackgroundTasksClient } from "../../src/index.js";
import { OK_EMPTY, useTestServer } from "./server.js";

const CALLS = 300;
const server = useTestServer();
const client = () =>
  createBackgroundTasksClient({
    endpoint: server.url,
    projectId: "proj",
    credentials: { token: "shared-signal-token-0123" },
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, // real (short) backoff sleeps
  });

let warnings: Error[] = [];
const onWarning = (w: Error) => void warnings.push(w);
beforeEach(() => {
  warnings = [];
  process.on("warning", onWarning);
});
afterEach(() => void process.off("warning", onWarning));

/** Warnings are emitted on a later tick: let them arrive before looking. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe(`${CALLS} concurrent calls sharing one signal`, () => {
  it("succeeding calls: no warning, no listener left, max listeners untouched", async () => {
    server.setHandler(() => ({ ...OK_EMPTY, delayMs: 20 })); // keeps the calls in flight together
    const signal = new AbortController().signal;
    const maxBefore = getMaxListeners(signal);
    const c = client();
    await Promise.all(Array.from({ length: CALLS }, () => c.listBackgroundTasks({ instanceId: "inst", signal })));
    await settle();
    expect(server.requests).toHaveLength(CALLS);
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
    expect(getMaxListeners(signal)).toBe(maxBefore);
  });

  it("calls that wait between attempts (a 503 first): no warning, no listener left", async () => {
    const seen = new Set<string>();
    server.setHandler((r) => {
      const first = !seen.has(r.path);
      seen.add(r.path);
      return first ? { status: 503 } : OK_EMPTY;
    });
    const signal = new AbortController().signal;
    const c = client();
    await Promise.all(Array.from({ length: CALLS }, (_, i) => c.listBackgroundTasks({ instanceId: `inst${i}`, signal })));
    await settle();
    expect(server.requests).toHaveLength(2 * CALLS);
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    expect(getEventListeners(signal, "abort")).toHaveLength(0);
  });

  it("an abort still stops every call with its reason, and leaves nothing behind", async () => {
    server.setHandler(() => ({ hang: true }));
    const controller = new AbortController();
    const c = client();
    const calls = Array.from({ length: CALLS }, () => c.listBackgroundTasks({ instanceId: "inst", signal: controller.signal }).catch((e: unknown) => e));
    await server.waitForRequests(CALLS);
    const reason = new Error("stop");
    controller.abort(reason);
    const results = await Promise.all(calls);
    expect(results.every((e) => e === reason)).toBe(true);
    await settle();
    expect(warnings).toEqual([]);
    expect(getEventListeners(controller.signal, "abort")).toHaveLength(0);
  });
});
