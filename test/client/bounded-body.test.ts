/**
 * The response-size cap (maxResponseBytes) against hostile servers on 127.0.0.1: a huge
 * Content-Length, an endless chunked body, a gzip bomb. The cap holds on decoded bytes, the
 * refusal is a DmsApiError with the response's status, it is never retried, and the connection
 * is released. The memory bound is asserted in child processes: peak RSS growth of a call stays
 * under a bound derived from the cap (a design property, not a timing).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { boundedResponse, DEFAULT_MAX_RESPONSE_BYTES, MAX_MAX_RESPONSE_BYTES, RESPONSE_TOO_LARGE } from "../../src/body.js";
import { createBackgroundTasksClient, DmsApiError, DmsValidationError, type BackgroundTasksClientOptions } from "../../src/index.js";
import { makeRedactor } from "../../src/redact.js";
import { endlessBody, gzipBomb, gzipReply, hugeBody, OK_EMPTY, task, useTestServer } from "./server.js";

const MiB = 1024 * 1024;
const CAP = MiB;
const TOKEN = "bounded-body-token-0123456789";
const server = useTestServer(() => OK_EMPTY);

function client(extra: Partial<BackgroundTasksClientOptions> = {}) {
  return createBackgroundTasksClient({ endpoint: server.url, projectId: "proj", credentials: { token: TOKEN }, maxResponseBytes: CAP, ...extra });
}
const list = (c = client()) => c.listBackgroundTasks({ instanceId: "inst" }).catch((e: unknown) => e);

/** A valid page of exactly `bytes` bytes of JSON (padding in an extra field, which is kept). */
function pageOfBytes(bytes: number): string {
  const head = JSON.stringify({ task_count: "1", tasks: [task("t1")], pad: "" });
  return head.slice(0, -2) + "x".repeat(bytes - head.length) + '"}';
}

describe("maxResponseBytes: the option", () => {
  it("defaults to 8 MiB and accepts 1 byte to 16 MiB", () => {
    expect(DEFAULT_MAX_RESPONSE_BYTES).toBe(8 * MiB);
    expect(MAX_MAX_RESPONSE_BYTES).toBe(16 * MiB);
    for (const v of [1, 16 * MiB]) expect(() => client({ maxResponseBytes: v })).not.toThrow();
  });

  it.each([0, -1, 1.5, 16 * MiB + 1, Infinity, NaN, "1000"])("refuses %s", (v) => {
    expect(() => client({ maxResponseBytes: v as number })).toThrow(expect.objectContaining({ name: "DmsValidationError", argument: "maxResponseBytes" }));
    expect(() => client({ maxResponseBytes: v as number })).toThrow(DmsValidationError);
  });

  it("counts bytes exactly: a body of the cap passes, one byte more is refused", async () => {
    const body = pageOfBytes(4096);
    server.setHandler(() => ({ status: 200, body }));
    await expect(client({ maxResponseBytes: 4096 }).listBackgroundTasks({ instanceId: "inst" })).resolves.toMatchObject({ task_count: "1" });
    const e = await list(client({ maxResponseBytes: 4095 }));
    expect(e).toMatchObject({ name: "DmsApiError", status: 200, errorCode: RESPONSE_TOO_LARGE });
  });
});

describe("maxResponseBytes: hostile bodies", () => {
  it("a huge Content-Length is refused before the body is read; status and request id kept; not retried; connection closed", async () => {
    const reply = hugeBody(200 * MiB, 200, { "X-Request-Id": "req-huge" });
    server.setHandler(() => reply);
    const e = await list();
    expect(e).toBeInstanceOf(DmsApiError);
    expect(e).toMatchObject({ status: 200, errorCode: RESPONSE_TOO_LARGE, requestId: "req-huge" });
    expect((e as Error).message).toMatch(/declares 209715200 bytes, more than maxResponseBytes \(1048576\)/);
    await reply.stats.closed;
    expect(reply.stats.cutOff()).toBe(true);
    expect(reply.stats.bytes).toBeLessThan(200 * MiB);
    expect(server.requests).toHaveLength(1);
  });

  it("an endless chunked body is cut off at the cap, even on a retryable status (503), and never retried", async () => {
    const reply = endlessBody(503);
    server.setHandler(() => reply);
    const e = await list(client({ retry: { maxAttempts: 5, baseDelayMs: 0 } }));
    expect(e).toMatchObject({ name: "DmsApiError", status: 503, errorCode: RESPONSE_TOO_LARGE });
    expect((e as Error).message).toMatch(/streams, more than maxResponseBytes/);
    await reply.stats.closed;
    expect(reply.stats.cutOff()).toBe(true); // the client hung up: the body really was endless
    expect(server.requests).toHaveLength(1);
  });

  it("a gzip bomb is measured decoded: 64 KiB on the wire, 64 MiB decoded, refused at the 1 MiB cap", async () => {
    const bomb = gzipBomb(64);
    expect(bomb.length).toBeLessThan(CAP); // so only the decoded size can trip the cap
    const reply = gzipReply(bomb);
    server.setHandler(() => reply);
    const e = await list();
    expect(e).toMatchObject({ name: "DmsApiError", status: 200, errorCode: RESPONSE_TOO_LARGE });
    expect((e as Error).message).toMatch(/streams/);
    expect(server.requests).toHaveLength(1);
  });

  it("works the same for any fetch that returns a Response: the stream is cancelled at the cap", async () => {
    let pulled = 0;
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (++pulled > 10_000) return controller.close(); // the bound of this loop
        controller.enqueue(new Uint8Array(64 * 1024));
      },
      cancel() {
        cancelled = true;
      },
    });
    const fetch = async () => new Response(endless, { status: 200, headers: { "X-Request-Id": "req-custom" } });
    const e = await list(client({ fetch }));
    expect(e).toMatchObject({ name: "DmsApiError", status: 200, errorCode: RESPONSE_TOO_LARGE, requestId: "req-custom" });
    expect(cancelled).toBe(true);
    expect(pulled).toBeLessThan(100); // 1 MiB is 16 chunks, plus what the stream buffers ahead
  });
});

/** Runs memory-child.ts in a fresh node against this server; returns what it printed. */
async function inChild(cap: number): Promise<{ name: string; status: number; errorCode: string; rssBefore: number; peakAfter: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./memory-child.ts", import.meta.url)), server.url, String(cap)], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)), // where `--import tsx` resolves
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  expect(code).toBe(0);
  return JSON.parse(out);
}

describe("bodies framed by Content-Length", () => {
  const redact = makeRedactor([]);
  const framed = () => new Response("{}", { headers: { "content-length": "2" } });

  it("within the cap and not encoded: passed through untouched where the transport parses HTTP", () => {
    const response = framed();
    expect(boundedResponse(response, CAP, redact, true)).toBe(response);
  });

  it("still counted when the transport is not trusted, when encoded, or when no length is declared", () => {
    const encoded = new Response("{}", { headers: { "content-length": "2", "content-encoding": "gzip" } });
    const unframed = new Response("{}");
    for (const [response, trust] of [[framed(), false], [encoded, true], [unframed, true]] as const) {
      expect(boundedResponse(response, CAP, redact, trust)).not.toBe(response);
    }
  });

  it("an injected fetch whose body outgrows its declared length is cut at the cap all the same", async () => {
    const lying = async () => new Response("x".repeat(2 * CAP), { headers: { "content-length": "10", "content-type": "application/json" } });
    const e = await list(client({ fetch: lying, retry: false }));
    expect(e).toBeInstanceOf(DmsApiError);
    expect(e).toMatchObject({ status: 200, errorCode: RESPONSE_TOO_LARGE });
  });
});

describe("a call's memory stays within a small multiple of the cap (child process, peak RSS)", () => {
  const CHILD_CAP = 4 * MiB;
  // Up to the cap in chunks, the body as one string, the parse: a few times the cap, plus
  // fetch's own buffers. Without the cap each of these bodies costs hundreds of MiB.
  const BOUND = 8 * CHILD_CAP;

  it.each([
    ["a huge Content-Length body", () => hugeBody(200 * MiB)],
    ["an endless chunked body", () => endlessBody(200)],
    ["a gzip bomb (256 MiB decoded)", () => gzipReply(gzipBomb(256))],
  ])("%s", async (_, hostileReply) => {
    const reply = hostileReply();
    server.setHandler((r) => (r.path.includes("/instances/hostile/") ? reply : OK_EMPTY));
    const result = await inChild(CHILD_CAP);
    expect(result).toMatchObject({ name: "DmsApiError", status: 200, errorCode: RESPONSE_TOO_LARGE });
    expect(result.peakAfter - result.rssBefore).toBeLessThan(BOUND);
  }, 60_000);
});
