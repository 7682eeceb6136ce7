/**
 * Retry only what can heal. Real failures where they can be made on 127.0.0.1 (a reset, a
 * refused connection, an attempt timeout, a blocked port, a TLS certificate error, an
 * oversized body), and undici-shaped errors from an injected fetch for the rest (DNS, socket
 * timeouts, an invalid URL). Plus the pure classification, case by case.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClientWith, type BackgroundTasksClientOptions } from "../../src/client.js";
import { DmsApiError, RESPONSE_TOO_LARGE } from "../../src/index.js";
import { failureHint, isRetryableFailure } from "../../src/retry.js";
import { closedPortUrl, hugeBody, useTestServer } from "./server.js";

const ATTEMPTS = 3;
const server = useTestServer();

function client(extra: Partial<BackgroundTasksClientOptions> = {}) {
  const waits: number[] = [];
  const c = createClientWith(
    { endpoint: server.url, projectId: "proj", credentials: { token: "retry-classes-token-0123" }, retry: { maxAttempts: ATTEMPTS }, ...extra },
    { random: () => 0.5, sleep: async (ms) => void waits.push(ms) },
  );
  return { call: () => c.listBackgroundTasks({ instanceId: "inst" }).catch((e: unknown) => e), waits };
}

/** What undici's fetch throws: TypeError("fetch failed") whose cause carries the code. */
const undiciError = (code: string, message = code) => new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
const throwing = (error: unknown) => ({ fetch: async (): Promise<Response> => Promise.reject(error) });

describe("retried: failures that can heal", () => {
  it("a connection reset", async () => {
    server.setHandler(() => ({ destroy: true }));
    const e = await client().call();
    expect(e).toMatchObject({ name: "DmsNetworkError", attempts: ATTEMPTS });
    expect(server.requests).toHaveLength(ATTEMPTS);
  });

  it("a refused connection", async () => {
    const e = await client({ endpoint: await closedPortUrl() }).call();
    expect(e).toMatchObject({ name: "DmsNetworkError", attempts: ATTEMPTS });
    expect((e as Error).message).toMatch(/ECONNREFUSED/);
  });

  it("an attempt timeout", async () => {
    server.setHandler(() => ({ hang: true }));
    const e = await client({ timeoutMs: 100 }).call();
    expect(e).toMatchObject({ name: "DmsNetworkError", timedOut: true, attempts: ATTEMPTS });
  });

  it.each(["EAI_AGAIN", "UND_ERR_SOCKET", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT", "ECONNRESET"])(
    "%s (from an injected fetch)",
    async (code) => {
      const e = await client(throwing(undiciError(code))).call();
      expect(e).toMatchObject({ name: "DmsNetworkError", attempts: ATTEMPTS });
    },
  );

  it.each([429, 500, 502, 503, 504])("the status %i", async (status) => {
    server.setHandler(() => ({ status }));
    const e = await client().call();
    expect(e).toMatchObject({ name: "DmsApiError", status });
    expect(server.requests).toHaveLength(ATTEMPTS);
  });
});

describe("not retried: failures that cannot heal", () => {
  it("a port fetch blocks, with a message that says so", async () => {
    const e = await client({ endpoint: "http://127.0.0.1:1" }).call();
    expect(e).toMatchObject({ name: "DmsNetworkError", attempts: 1 });
    expect((e as Error).message).toMatch(/bad port.*port is one that fetch refuses to connect to.*use another port/);
  });

  it.each([
    ["an unknown host (ENOTFOUND)", undiciError("ENOTFOUND", "getaddrinfo ENOTFOUND dms.nowhere.example")],
    ["an invalid URL", new TypeError("Failed to parse URL", { cause: Object.assign(new TypeError("Invalid URL"), { code: "ERR_INVALID_URL" }) })],
    ["an expired certificate", undiciError("CERT_HAS_EXPIRED", "certificate has expired")],
    ["a certificate for another host", undiciError("ERR_TLS_CERT_ALTNAME_INVALID")],
    ["an error with no code", new Error("something else")],
  ])("%s (from an injected fetch)", async (_, error) => {
    const { call, waits } = client(throwing(error));
    const e = await call();
    expect(e).toMatchObject({ name: "DmsNetworkError", attempts: 1 });
    expect(waits).toHaveLength(0);
  });

  describe("a TLS certificate error (a self-signed certificate on 127.0.0.1)", () => {
    let url = "";
    let connections = 0;
    const tls = createServer();
    beforeAll(async () => {
      const dir = mkdtempSync(join(tmpdir(), "retry-classes-"));
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
        "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
      tls.setSecureContext({ key: readFileSync(join(dir, "key.pem")), cert: readFileSync(join(dir, "cert.pem")) });
      tls.on("connection", () => connections++);
      await new Promise<void>((resolve) => tls.listen(0, "127.0.0.1", resolve));
      url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => tls.close(() => resolve())));

    it("is not retried", async () => {
      const e = await client({ endpoint: url }).call();
      expect(e).toMatchObject({ name: "DmsNetworkError", attempts: 1 });
      expect((e as Error).message).toMatch(/self.signed certificate/i);
      expect(connections).toBe(1);
    });
  });

  it("ResponseTooLarge, even on a retryable status", async () => {
    server.setHandler(() => hugeBody(64 * 1024 * 1024, 503));
    const e = await client({ maxResponseBytes: 1024 }).call();
    expect(e).toBeInstanceOf(DmsApiError);
    expect(e).toMatchObject({ status: 503, errorCode: RESPONSE_TOO_LARGE });
    expect(server.requests).toHaveLength(1);
  });
});

describe("isRetryableFailure: a pure function of what was thrown", () => {
  it("walks the cause chain for `code`", () => {
    expect(isRetryableFailure(undiciError("ECONNRESET"))).toBe(true);
    expect(isRetryableFailure(new Error("a", { cause: new Error("b", { cause: undiciError("ECONNREFUSED") }) }))).toBe(true);
    expect(isRetryableFailure(undiciError("ENOTFOUND"))).toBe(false);
    expect(isRetryableFailure(undiciError("DEPTH_ZERO_SELF_SIGNED_CERT"))).toBe(false);
    expect(isRetryableFailure(new DmsApiError({ status: 503, errorCode: RESPONSE_TOO_LARGE }))).toBe(false);
    expect(isRetryableFailure("ECONNRESET")).toBe(false);
    expect(isRetryableFailure(undefined)).toBe(false);
  });

  it("survives a cycle and a hostile getter", () => {
    const loop: Error & { cause?: unknown } = new Error("loop");
    loop.cause = loop;
    expect(isRetryableFailure(loop)).toBe(false);
    const hostile = new Proxy({}, { get: () => { throw new Error("no"); } });
    expect(isRetryableFailure(hostile)).toBe(false);
    expect(failureHint(hostile)).toBeUndefined();
  });

  it("failureHint explains undici's bad port only", () => {
    expect(failureHint(new TypeError("fetch failed", { cause: new Error("bad port") }))).toMatch(/refuses to connect/);
    expect(failureHint(undiciError("ECONNREFUSED"))).toBeUndefined();
  });
});
