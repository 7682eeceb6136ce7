/**
 * Retries, per-attempt timeouts and aborts against a real server. Waits between attempts go
 * through an injected sleeper (recorded, instant) unless the test is about a real sleep being
 * interrupted. No test measures elapsed time: promptness is proven by what the server saw (the
 * connection closed by the client, no further request), and a hang would hit the test timeout.
 */
import { describe, expect, it } from "vitest";
import { createClientWith, type BackgroundTasksClientOptions } from "../../src/client.js";
import { DmsApiError, DmsNetworkError, DmsValidationError } from "../../src/index.js";
import { signRequest } from "../../src/auth/signer.js";
import {
  backoffDelay,
  checkRetry,
  DEFAULT_RETRY,
  isRetryableStatus,
  parseRetryAfter,
  retryDelay,
  sleep,
} from "../../src/retry.js";
import { closedPortUrl, task, useTestServer } from "./server.js";

const PROJECT = "proj";
const INSTANCE = "inst";
const OK = { status: 200, body: { task_count: "1", tasks: [task("t1")] } };
const SLOW_MS = 10_000; // a server delay (or a backoff) that a prompt outcome never waits for
const TOKEN = "retry-test-token-0123456789";

const server = useTestServer(() => OK);

/** A client whose waits are recorded and instant. */
function client(extra: Partial<BackgroundTasksClientOptions> = {}, random = () => 0.5) {
  const waits: number[] = [];
  const c = createClientWith(
    { endpoint: server.url, projectId: PROJECT, credentials: { token: TOKEN }, ...extra },
    { random, sleep: async (ms) => void waits.push(ms) },
  );
  return { c, waits };
}

const list = (c: ReturnType<typeof client>["c"], signal?: AbortSignal) =>
  c.listBackgroundTasks({ instanceId: INSTANCE, ...(signal ? { signal } : {}) });

describe("what is retried", () => {
  it("503 then success: two requests, the result of the second", async () => {
    server.queue({ status: 503, body: { error_code: "APIGW.0103", error_msg: "busy" } });
    const { c, waits } = client();
    await expect(list(c)).resolves.toEqual(OK.body);
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it.each([429, 500, 502, 503, 504])("retries %i up to maxAttempts, then throws the last error", async (status) => {
    server.setHandler(() => ({ status, body: { error_code: `E${status}`, error_msg: "m" } }));
    const { c, waits } = client({ retry: { maxAttempts: 4 } });
    await expect(list(c)).rejects.toMatchObject({ name: "DmsApiError", status, errorCode: `E${status}` });
    expect(server.requests).toHaveLength(4);
    expect(waits).toHaveLength(3);
  });

  it("defaults to 3 attempts in total", async () => {
    server.setHandler(() => ({ status: 500 }));
    const { c } = client();
    await expect(list(c)).rejects.toBeInstanceOf(DmsApiError);
    expect(server.requests).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 409, 501])("does not retry %i", async (status) => {
    server.setHandler(() => ({ status, body: { error_code: "X", error_msg: "no" } }));
    const { c, waits } = client();
    await expect(list(c)).rejects.toMatchObject({ status });
    expect(server.requests).toHaveLength(1);
    expect(waits).toHaveLength(0);
  });

  it.each([{ retry: false as const }, { retry: { maxAttempts: 1 } }])("retry off (%j): one request", async (opts) => {
    server.setHandler(() => ({ status: 503 }));
    const { c } = client(opts);
    await expect(list(c)).rejects.toMatchObject({ status: 503 });
    expect(server.requests).toHaveLength(1);
  });

  it("retries a network error (connection reset) and succeeds", async () => {
    server.queue({ destroy: true });
    const { c } = client();
    await expect(list(c)).resolves.toEqual(OK.body);
    expect(server.requests).toHaveLength(2);
  });

  it("a network error on every attempt ends in a DmsNetworkError with the cause", async () => {
    server.setHandler(() => ({ destroy: true }));
    const { c } = client({ retry: { maxAttempts: 2 } });
    const err = await list(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmsNetworkError);
    expect(err).toMatchObject({ timedOut: false, attempts: 2 });
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(server.requests).toHaveLength(2);
  });

  it("a refused connection is a DmsNetworkError", async () => {
    const { c } = client({ endpoint: await closedPortUrl(), retry: false });
    await expect(list(c)).rejects.toMatchObject({
      name: "DmsNetworkError",
      attempts: 1,
      message: expect.stringMatching(/ECONNREFUSED/),
      cause: expect.objectContaining({ cause: expect.objectContaining({ code: "ECONNREFUSED" }) }),
    });
  });

  it("an InvalidResponse 200 is not retried", async () => {
    server.setHandler(() => ({ status: 200, body: "not json" }));
    const { c } = client();
    await expect(list(c)).rejects.toMatchObject({ errorCode: "InvalidResponse" });
    expect(server.requests).toHaveLength(1);
  });
});

describe("how long it waits", () => {
  it("honours Retry-After in seconds on a 429", async () => {
    server.queue({ status: 429, headers: { "Retry-After": "2" }, body: { error_code: "APIGW.0308", error_msg: "t" } });
    const { c, waits } = client();
    await expect(list(c)).resolves.toEqual(OK.body);
    expect(waits).toEqual([2000]);
  });

  it("honours Retry-After as an HTTP-date, against the injected clock", async () => {
    const now = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));
    server.queue({ status: 503, headers: { "Retry-After": "Mon, 01 Jan 2024 00:00:07 GMT" } });
    const { c, waits } = client({ now: () => now });
    await list(c);
    expect(waits).toEqual([7000]);
  });

  it("caps Retry-After at maxDelayMs", async () => {
    server.queue({ status: 429, headers: { "Retry-After": "86400" } });
    const { c, waits } = client({ retry: { maxDelayMs: 1500 } });
    await list(c);
    expect(waits).toEqual([1500]);
  });

  it("uses capped exponential backoff with full jitter otherwise", async () => {
    server.setHandler(() => ({ status: 502 }));
    const { c, waits } = client({ retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 500 } }, () => 0.999);
    await expect(list(c)).rejects.toMatchObject({ status: 502 });
    expect(waits).toEqual([99, 199, 399, 499]);
  });

  it("backoffDelay stays in [0, min(max, base*2^(n-1)))", () => {
    const p = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, p, () => 0)).toBe(0);
    expect(backoffDelay(3, p, () => 0.5)).toBe(200);
    expect(backoffDelay(9, p, () => 0.999999)).toBe(999);
    expect(retryDelay(1, p, 5000, () => 0)).toBe(1000);
    expect(retryDelay(1, p, 0, () => 0.9)).toBe(0);
  });

  it("parseRetryAfter reads seconds and HTTP-dates, and ignores junk", () => {
    const now = Date.UTC(2024, 0, 1);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("0", now)).toBe(0);
    expect(parseRetryAfter(" 3 ", now)).toBe(3000);
    expect(parseRetryAfter("Mon, 01 Jan 2024 00:00:02 GMT", now)).toBe(2000);
    expect(parseRetryAfter("Sun, 31 Dec 2023 00:00:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("-1", now)).toBeUndefined();
    expect(parseRetryAfter("1.5", now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });

  it("isRetryableStatus", () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 501, 505].some(isRetryableStatus)).toBe(false);
  });

  it("checkRetry defaults, off switch and sane numbers", () => {
    expect(checkRetry(undefined)).toEqual(DEFAULT_RETRY);
    expect(checkRetry(false).maxAttempts).toBe(1);
    expect(checkRetry({ maxAttempts: 5 })).toEqual({ ...DEFAULT_RETRY, maxAttempts: 5 });
    for (const bad of [true, null, 3, { maxAttempts: 0 }, { maxAttempts: 1.5 }, { maxAttempts: 21 }, { baseDelayMs: -1 }, { maxDelayMs: Infinity }, { maxDelayMs: NaN }, { attempts: 3 }]) {
      expect(() => checkRetry(bad)).toThrow(DmsValidationError);
    }
  });
});

describe("fresh signature per attempt", () => {
  it("each attempt has its own X-Sdk-Date from the injected clock and a valid signature", async () => {
    let t = Date.UTC(2025, 4, 6, 7, 8, 0);
    server.queue({ status: 503 }, { status: 500 });
    const sk = "retry-secret-key";
    const { c } = client({ credentials: { accessKey: "AK", secretKey: sk }, now: () => new Date((t += 1000)) });
    await expect(list(c)).resolves.toEqual(OK.body);
    expect(server.requests.map((r) => r.headers["x-sdk-date"])).toEqual([
      "20250506T070801Z",
      "20250506T070802Z",
      "20250506T070803Z",
    ]);
    const auths = server.requests.map((r) => r.headers.authorization);
    expect(new Set(auths).size).toBe(3);
    for (const r of server.requests) {
      const headers = { host: String(r.headers.host), "x-project-id": PROJECT, "x-sdk-date": String(r.headers["x-sdk-date"]) };
      const url = new URL(r.url, `http://${r.headers.host}`);
      expect(r.headers.authorization).toBe(signRequest({ method: "GET", url, headers }, { accessKey: "AK", secretKey: sk }));
    }
  });
});

describe("time limits and aborts", () => {
  it("a server that never answers stops at timeoutMs, as a timed-out DmsNetworkError; the connection is closed", async () => {
    server.setHandler(() => ({ hang: true }));
    const { c } = client({ timeoutMs: 200, retry: false });
    const err = await list(c).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmsNetworkError);
    expect(err).toMatchObject({ timedOut: true, attempts: 1, message: expect.stringMatching(/timed out after 200 ms/) });
    await server.requests[0]!.closed; // resolves only once the client dropped the connection
    expect(server.requests[0]!.abortedByClient()).toBe(true);
  });

  it("the timeout also covers a response body that stalls after the headers", async () => {
    server.setHandler(() => ({ status: 200, stallAfter: '{"task_count":"1","tasks":[' }));
    const { c } = client({ timeoutMs: 300, retry: false });
    await expect(list(c)).rejects.toMatchObject({ name: "DmsNetworkError", timedOut: true });
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient()).toBe(true);
  });

  it("a fetch that ignores its signal still ends at timeoutMs (the call does not wait for it)", async () => {
    const deaf = () => new Promise<Response>(() => {}); // never settles, whatever the signal says
    const { c } = client({ timeoutMs: 100, retry: false, fetch: deaf });
    await expect(list(c)).rejects.toMatchObject({ name: "DmsNetworkError", timedOut: true, attempts: 1 });
  });

  it("the caller's abort ends the call even when fetch ignores its signal", async () => {
    const { c } = client({ fetch: () => new Promise<Response>(() => {}) });
    const ac = new AbortController();
    const p = list(c, ac.signal);
    const reason = new Error("user cancelled");
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
  });

  it("a corrupt deflate body on a reused connection ends (Node 20's fetch never settles it, even aborted)", async () => {
    server.queue(OK, {
      raw: (res) => {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "deflate", "content-length": "40" });
        res.flushHeaders(); // headers first, then the body in a packet of its own
        setTimeout(() => res.end(Buffer.from([0x78, ...Buffer.alloc(39, 0xff)])), 20); // a zlib header, then garbage
      },
    });
    const { c } = client({ timeoutMs: 1000, retry: false });
    await expect(list(c)).resolves.toEqual(OK.body);
    // Either the decoder's error or, where fetch hangs on it, the timeout: never a hang.
    await expect(list(c)).rejects.toBeInstanceOf(DmsNetworkError);
  });

  it("a timeout is retryable: the attempt after a timed-out one can succeed", async () => {
    server.queue({ hang: true });
    // The same limit applies to the second attempt, which must answer within it: 1 s is ample.
    const { c, waits } = client({ timeoutMs: 1000 });
    await expect(list(c)).resolves.toEqual(OK.body);
    expect(server.requests).toHaveLength(2);
    expect(waits).toHaveLength(1);
  });

  it("the caller's abort during a request rejects promptly with the abort reason, not retried", async () => {
    server.setHandler(() => ({ delayMs: SLOW_MS, ...OK }));
    const { c, waits } = client();
    const ac = new AbortController();
    const p = list(c, ac.signal);
    await server.waitForRequests(1);
    ac.abort();
    const err = await p.catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
    expect(err).toBe(ac.signal.reason);
    expect(waits).toHaveLength(0);
    await server.requests[0]!.closed;
    expect(server.requests[0]!.abortedByClient()).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("a custom abort reason is what rejects", async () => {
    server.setHandler(() => ({ hang: true }));
    const { c } = client();
    const ac = new AbortController();
    const p = list(c, ac.signal);
    await server.waitForRequests(1);
    const reason = new Error("user cancelled");
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
  });

  it("the caller's abort during a backoff sleep (real sleep) rejects promptly, no further request", async () => {
    server.setHandler(() => ({ status: 503 }));
    let sleeping!: () => void;
    const asleep = new Promise<void>((resolve) => (sleeping = resolve));
    const c = createClientWith(
      { endpoint: server.url, projectId: PROJECT, credentials: { token: TOKEN }, retry: { baseDelayMs: SLOW_MS * 4, maxDelayMs: SLOW_MS * 4 } },
      {
        random: () => 0.9,
        sleep: (ms, signal) => {
          expect(ms).toBeGreaterThan(SLOW_MS); // the real sleep would outlast the test timeout
          sleeping();
          return sleep(ms, signal);
        },
      },
    );
    const ac = new AbortController();
    const p = list(c, ac.signal);
    await asleep;
    ac.abort();
    const err = await p.catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
    expect(server.requests).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const { c } = client();
    const ac = new AbortController();
    ac.abort();
    await expect(list(c, ac.signal)).rejects.toMatchObject({ name: "AbortError" });
    expect(server.requests).toHaveLength(0);
  });

  it("sleep rejects at once with the reason when aborted, and resolves otherwise", async () => {
    const ac = new AbortController();
    const p = sleep(SLOW_MS * 6, ac.signal);
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
    await expect(sleep(1, undefined)).resolves.toBeUndefined();
  });
});
