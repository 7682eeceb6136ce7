/**
 * src/transport.ts against Node's fetch: every case runs on both, with the same expectations, on a
 * real local server (http, and https with a certificate made by openssl at test time).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createNodeTransport, defaultTransport, Inflate, TransportRequest } from "../../src/transport.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
let handler: Handler = (_, res) => res.end("ok");
let connections = 0;
const seen: IncomingMessage[] = [];
const onRequest = (req: IncomingMessage, res: ServerResponse) => {
  seen.push(req);
  handler(req, res);
};

let http: Server;
let base = "";
beforeAll(async () => {
  http = createHttpServer({ keepAliveTimeout: 60_000 }, onRequest);
  http.on("connection", () => connections++);
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(() => {
  http.closeAllConnections();
  http.close();
});
afterEach(() => {
  handler = (_, res) => res.end("ok");
  seen.length = 0;
});

const TRANSPORTS = [
  ["node transport", defaultTransport],
  ["fetch", (r: Request) => globalThis.fetch(r)],
] as const;

/** A request as the client builds it: redirect "manual", a signal per attempt. */
const get = (url: string, init: RequestInit = {}) => new Request(url, { redirect: "manual", ...init });

describe.each(TRANSPORTS)("%s", (_, send) => {
  it("returns a 3xx as is and does not follow it", async () => {
    handler = (req, res) => {
      if (req.url === "/elsewhere") return res.end("followed");
      res.writeHead(302, { Location: "/elsewhere" }).end();
    };
    const res = await send(get(`${base}/start`));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/elsewhere");
    expect(seen.map((r) => r.url)).toEqual(["/start"]);
  });

  it.each([
    ["gzip", gzipSync],
    ["x-gzip", gzipSync],
    ["deflate", deflateSync],
    ["deflate", deflateRawSync], // raw deflate, as some servers send it
    ["br", brotliCompressSync],
  ] as const)("decodes Content-Encoding %s as the body streams", async (coding, compress) => {
    const text = JSON.stringify({ tasks: Array.from({ length: 2000 }, (_, i) => ({ id: `t${i}` })) });
    handler = (_, res) => res.writeHead(200, { "Content-Encoding": coding }).end(compress(Buffer.from(text)));
    const res = await send(get(base));
    expect(res.headers.get("content-encoding")).toBe(coding);
    expect(await res.text()).toBe(text);
  });

  it("sends fetch's Accept-Encoding for http: (gzip, deflate)", async () => {
    await (await send(get(base))).text();
    expect(seen[0]!.headers["accept-encoding"]).toBe("gzip, deflate");
  });

  it("leaves an unknown coding undecoded", async () => {
    handler = (_, res) => res.writeHead(200, { "Content-Encoding": "gzip, identity-ish" }).end("plain");
    expect(await (await send(get(base))).text()).toBe("plain");
  });

  it("reuses one keep-alive connection for sequential requests", async () => {
    await (await send(get(base))).text(); // a pooled connection exists from here on
    const before = connections;
    for (let i = 0; i < 5; i++) await (await send(get(base))).text();
    expect(connections).toBe(before);
  });

  it("aborts mid-body with the signal's reason and closes the connection", async () => {
    let closed!: Promise<void>;
    handler = (req, res) => {
      closed = new Promise((r) => res.on("close", r));
      res.writeHead(200, { "Content-Type": "application/json" });
      res.write("[" + "1,".repeat(1000));
      void req; // the rest never comes
    };
    const ac = new AbortController();
    const res = await send(get(base, { signal: ac.signal }));
    const reader = res.body!.getReader();
    expect((await reader.read()).value!.byteLength).toBeGreaterThan(0);
    const reason = new Error("user cancelled");
    ac.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    await closed;
  });

  it("rejects with the reason of a signal aborted before the response", async () => {
    handler = () => {}; // never answers
    const ac = new AbortController();
    const p = send(get(base, { signal: ac.signal }));
    await new Promise((r) => setTimeout(r, 50));
    const reason = new DOMException("timed out", "TimeoutError");
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
  });

  it("streams a large body with backpressure: cancelling the reader stops the download", async () => {
    const chunk = Buffer.alloc(64 * 1024, 97);
    let written = 0;
    let closed!: Promise<void>;
    handler = (_, res) => {
      closed = new Promise((r) => res.on("close", r));
      res.writeHead(200);
      const pump = () => {
        while (written < 200 * 1024 * 1024 && res.write(chunk)) written += chunk.length;
        if (written < 200 * 1024 * 1024 && !res.destroyed) res.once("drain", pump);
      };
      pump();
    };
    const res = await send(get(base));
    const reader = res.body!.getReader();
    let read = 0;
    while (read < 1024 * 1024) read += (await reader.read()).value!.byteLength;
    await reader.cancel();
    await closed;
    expect(written).toBeLessThan(64 * 1024 * 1024); // 200 MB offered; far less was ever sent
  });

  it("inflates a deflate bomb only as fast as it is read (a bounded buffer, not a whole chunk's worth)", async () => {
    const size = 32 * 1024 * 1024;
    for (const bomb of [deflateSync(Buffer.alloc(size)), deflateRawSync(Buffer.alloc(size))]) {
      const inflate = new Inflate();
      const consumed = new Promise<void>((r) => inflate.write(bomb, () => r())); // ~32 KB in, 32 MiB out
      await Promise.race([consumed, new Promise((r) => setTimeout(r, 300))]);
      // Unread, it holds about one highWaterMark plus a zlib chunk, never the 32 MiB.
      expect(inflate.readableLength).toBeLessThan(1024 * 1024);
      inflate.end();
      let total = 0;
      for await (const d of inflate) total += (d as Buffer).length;
      expect(total).toBe(size); // and it still yields everything when read
    }
  });

  it("fails at once on a 101 upgrade it never asked for, as fetch does (instead of waiting for a response)", async () => {
    handler = (_, res) => res.socket!.end("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: Upgrade\r\n\r\n");
    const err = await send(get(base)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe("fetch failed");
  });

  it("gives a 204 a null body", async () => {
    handler = (_, res) => res.writeHead(204).end();
    const res = await send(get(base));
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it("reports a refused connection as TypeError('fetch failed') with the cause", async () => {
    const s = createHttpServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const err = await send(get(`http://127.0.0.1:${port}/`)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe("fetch failed");
    expect(((err as Error).cause as Error).message).toBe(`connect ECONNREFUSED 127.0.0.1:${port}`);
  });
});

describe("TransportRequest (the lightweight request openapi-fetch can build for this transport)", () => {
  it("sends its method, target and headers, and its signal aborts it", async () => {
    handler = (req, res) => res.end(`${req.method} ${req.url} ${req.headers["x-a"]}`);
    const send = defaultTransport as unknown as (r: TransportRequest) => Promise<Response>;
    const res = await send(new TransportRequest(`${base}/p?q=1`, { method: "DELETE", headers: { "X-A": "b" } }));
    expect(await res.text()).toBe("DELETE /p?q=1 b");
    const ac = new AbortController();
    const reason = new Error("stop");
    ac.abort(reason);
    await expect(send(new TransportRequest(base, { signal: ac.signal }))).rejects.toBe(reason);
    expect(() => new TransportRequest(base, { method: "POST", body: "x" })).toThrow(TypeError);
  });
});

// -------------------------------------------------------------------------------------------
// https: a self-signed certificate for 127.0.0.1, generated with openssl (on the CI image).

const hasOpenssl = (() => {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasOpenssl)("https", () => {
  let server: Server;
  let url = "";
  let cert = "";
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "dms-tls-"));
    try {
      execFileSync("openssl", [
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
      ], { stdio: "ignore" });
      cert = readFileSync(join(dir, "cert.pem"), "utf8");
      server = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert }, onRequest);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
  });

  it("verifies certificates: an untrusted one fails as fetch fails", async () => {
    for (const send of [defaultTransport, (r: Request) => globalThis.fetch(r)]) {
      const err = await send(get(url)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TypeError);
      expect(((err as Error).cause as { code?: string }).code).toBe("DEPTH_ZERO_SELF_SIGNED_CERT");
    }
    expect(seen).toHaveLength(0);
  });

  it("talks TLS to a trusted host, with fetch's Accept-Encoding for https: and keep-alive", async () => {
    const send = createNodeTransport({ ca: cert });
    handler = (_, res) => res.writeHead(200, { "Content-Encoding": "br" }).end(brotliCompressSync(Buffer.from("secure")));
    expect(await (await send(get(url))).text()).toBe("secure");
    expect(await (await send(get(url))).text()).toBe("secure");
    expect(seen[0]!.headers["accept-encoding"]).toBe("br, gzip, deflate");
    expect(seen[1]!.socket).toBe(seen[0]!.socket);
  });
});
