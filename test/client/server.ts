/**
 * A real node:http server on 127.0.0.1 (ephemeral port) for the client tests: it records every
 * request (and when its connection closes) and answers with scripted replies.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import zlib from "node:zlib";
import { afterAll, beforeAll, beforeEach } from "vitest";

export interface RecordedRequest {
  method: string;
  /** Raw request target as received, e.g. "/v2/p/instances/i/tasks?start=1". */
  url: string;
  path: string;
  /** Raw query string without "?" ("" when none). */
  search: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** Resolves when the client closes the connection or the response completes. */
  closed: Promise<void>;
  /** True once the connection closed before a response was sent. */
  abortedByClient: () => boolean;
}

export interface Reply {
  status?: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as is. */
  body?: unknown;
  /** Wait this long before answering (interrupted if the client goes away). */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  /** Destroy the socket instead of answering (a network error for the client). */
  destroy?: boolean;
  /** Send the status, headers and this start of a body, then stall forever. */
  stallAfter?: string;
  /** Take over the response (hostile bodies: see hugeBody, endlessBody, gzipBomb). */
  raw?: (res: ServerResponse) => void;
}

export type Handler = (req: RecordedRequest) => Reply | Promise<Reply>;

export interface TestServer {
  /** "http://127.0.0.1:<port>" */
  url: string;
  requests: RecordedRequest[];
  /** Replies used in order, one per request, before the handler. */
  queue: (...replies: Reply[]) => void;
  setHandler: (h: Handler) => void;
  /** Resolves when `n` requests have arrived. */
  waitForRequests: (n: number) => Promise<void>;
  close: () => Promise<void>;
}

export const OK_EMPTY: Reply = { status: 200, body: { task_count: "0", tasks: [] } };

export async function startServer(handler: Handler = () => OK_EMPTY): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const queued: Reply[] = [];
  const waiters: { n: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let current = handler;

  const server: Server = createServer((req, res) => {
    let responded = false;
    let closedEarly = false;
    const closed = new Promise<void>((resolve) => {
      res.on("close", () => {
        if (!res.writableFinished) closedEarly = true;
        resolve();
      });
    });
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rec: RecordedRequest = {
      method: req.method ?? "",
      url,
      path: q === -1 ? url : url.slice(0, q),
      search: q === -1 ? "" : url.slice(q + 1),
      query: new URLSearchParams(q === -1 ? "" : url.slice(q + 1)),
      headers: req.headers,
      closed,
      abortedByClient: () => closedEarly && !responded,
    };
    requests.push(rec);
    for (const w of waiters.slice()) {
      if (requests.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
    req.resume();
    void (async () => {
      const reply = queued.length > 0 ? queued.shift()! : await current(rec);
      if (reply.delayMs) {
        await Promise.race([new Promise((r) => setTimeout(r, reply.delayMs)), closed]);
      }
      if (reply.hang || res.destroyed) return;
      if (reply.destroy) {
        req.socket.destroy();
        return;
      }
      responded = true;
      if (reply.raw) {
        reply.raw(res);
        return;
      }
      if (reply.stallAfter !== undefined) {
        res.writeHead(reply.status ?? 200, { "Content-Type": "application/json", ...reply.headers });
        res.write(reply.stallAfter);
        responded = false; // the body never completes
        return;
      }
      send(res, reply);
    })();
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queue: (...r) => void queued.push(...r),
    setHandler: (h) => void (current = h),
    waitForRequests: (n) =>
      requests.length >= n ? Promise.resolve() : new Promise((resolve) => waiters.push({ n, resolve })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The test server of a test file: started before its tests, closed after them, and before each
 * test its recorded requests are cleared and, when `reset` is given, its handler set to `reset`.
 * The returned object may be used from inside tests and hooks only (the server starts in a
 * beforeAll hook).
 */
export function useTestServer(reset?: Handler): TestServer {
  let server: TestServer | undefined;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(() => server?.close());
  beforeEach(() => {
    current().requests.length = 0;
    if (reset) current().setHandler(reset);
  });
  const current = (): TestServer => {
    if (!server) throw new Error("the test server runs only inside tests and hooks");
    return server;
  };
  return {
    get url() {
      return current().url;
    },
    get requests() {
      return current().requests;
    },
    queue: (...replies) => current().queue(...replies),
    setHandler: (h) => current().setHandler(h),
    waitForRequests: (n) => current().waitForRequests(n),
    close: () => current().close(),
  };
}

/**
 * "http://127.0.0.1:<port>" of a port nothing listens on: a connection to it is refused
 * (ECONNREFUSED). The port was just bound and released by this process; a fixed low port would
 * not do, since fetch refuses the "bad ports" of the Fetch standard (1, 7, 9, …) before connecting.
 */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
  return `http://127.0.0.1:${port}`;
}

/** What a hostile body writer did: bytes handed to the socket, and whether the client hung up first. */
export interface BodyStats {
  bytes: number;
  /** Resolves when the response closes (completed or cut off by the client). */
  closed: Promise<void>;
  cutOff: () => boolean;
}

/**
 * Writes `total` bytes (repeating `chunk`) as fast as the client reads them, and stops the
 * moment the connection closes. Every loop is bounded by `total`.
 */
function pump(res: ServerResponse, chunk: Buffer, total: number, stats: { bytes: number }): void {
  const step = () => {
    while (stats.bytes < total && !res.destroyed) {
      const n = Math.min(chunk.length, total - stats.bytes);
      stats.bytes += n;
      if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return void res.once("drain", step);
    }
    if (!res.destroyed) res.end();
  };
  step();
}

function hostile(status: number, headers: Record<string, string>, write: (res: ServerResponse, stats: { bytes: number }) => void): Reply & { stats: BodyStats } {
  let done!: () => void;
  const closed = new Promise<void>((resolve) => (done = resolve));
  let cutOff = false;
  const stats: BodyStats = { bytes: 0, closed, cutOff: () => cutOff };
  return {
    stats,
    raw: (res) => {
      res.on("close", () => {
        cutOff = !res.writableFinished;
        done();
      });
      res.writeHead(status, headers);
      write(res, stats);
    },
  };
}

const FILLER = Buffer.alloc(64 * 1024, "x");

/** A body of `bytes` bytes with that Content-Length, written only as fast as it is read. */
export function hugeBody(bytes: number, status = 200, headers: Record<string, string> = {}) {
  return hostile(status, { "Content-Type": "application/json", "Content-Length": String(bytes), ...headers }, (res, stats) =>
    pump(res, FILLER, bytes, stats),
  );
}

/** A chunked body with no Content-Length that goes on until the client hangs up (or `limit` bytes, the loop's bound). */
export function endlessBody(status = 200, limit = 2 * 1024 ** 3) {
  return hostile(status, { "Content-Type": "application/json" }, (res, stats) => pump(res, FILLER, limit, stats));
}

/** `mebibytes` MiB of zeros, gzipped with node:zlib (one member per MiB, concatenated: one stream to a decoder). */
export function gzipBomb(mebibytes: number): Buffer {
  const member = zlib.gzipSync(Buffer.alloc(1024 * 1024), { level: 9 }); // about 1 KB
  return Buffer.concat(Array.from({ length: mebibytes }, () => member));
}

/** A gzip-encoded reply whose body decodes to many times what crosses the wire. */
export function gzipReply(compressed: Buffer, status = 200) {
  return hostile(status, { "Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": String(compressed.length) }, (res, stats) =>
    pump(res, compressed, compressed.length, stats),
  );
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = { ...reply.headers };
  let body = "";
  if (typeof reply.body === "string") body = reply.body;
  else if (reply.body !== undefined) {
    body = JSON.stringify(reply.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["Content-Type"] = "application/json";
  }
  res.writeHead(reply.status ?? 200, headers);
  res.end(body);
}

/** A task as the API lists it. */
export function task(id: string, extra: Record<string, string> = {}): {
  id: string;
  name: string;
  status: string;
  [k: string]: string;
} {
  return { id, name: "kafkaConfigModify", status: "SUCCESS", created_at: "2020-06-23T03:00:03.471Z", ...extra };
}
