/**
 * The default transport: a fetch-compatible `(request) => Promise<Response>` on node:http and
 * node:https with keep-alive agents. On loopback it costs about 0.6× Node's built-in fetch per
 * call (bench/NOTES.md, "Transport"), needs nothing installed and loads no CommonJS.
 *
 * It behaves like the fetch path where the client can tell: the same request headers fetch adds
 * (Accept-Encoding included), no redirect followed (a 3xx is returned as is), the caller's signal
 * aborts the request and the body mid-read with the signal's reason, bodies decoded (gzip,
 * deflate, br) as they stream, certificates verified, and failures reported as
 * `TypeError("fetch failed", { cause })`. The Response body is a real stream with backpressure,
 * so a reader that counts decoded bytes can stop a large body early.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest, type AgentOptions } from "node:https";
import { pipeline, Transform, type Readable, type TransformCallback } from "node:stream";
import * as zlib from "node:zlib";

export type Transport = (request: Request) => Promise<Response>;

/** Statuses whose Response must have a null body (Fetch standard). */
const NULL_BODY = new Set([101, 103, 204, 205, 304]);
/** As undici's fetch: more codings than this is refused (resource exhaustion). */
const MAX_CODINGS = 5;

/** `tls` is for tests (a private CA); the default verifies against Node's CA store. */
export function createNodeTransport(tls: Pick<AgentOptions, "ca"> = {}): Transport {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true, ...tls }) };
  return (request) => send(request, agents);
}

export const defaultTransport: Transport = createNodeTransport();

/**
 * A bodiless request as this transport reads it (url, method, headers, signal, body), for
 * openapi-fetch's `Request` option: no undici `Request` to build per attempt, and no second
 * AbortSignal following the caller's (about −15 % client CPU per call, bench/NOTES.md).
 * Only for this transport: an injected fetch gets a real `Request`.
 */
export class TransportRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly signal: AbortSignal;
  readonly redirect: RequestRedirect;
  readonly body = null;
  constructor(url: string, init: RequestInit = {}) {
    if (init.body != null) throw new TypeError("TransportRequest carries no body");
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = new Headers(init.headers);
    this.signal = init.signal ?? new AbortController().signal;
    this.redirect = init.redirect ?? "follow";
  }
}

const failed = (cause: unknown): TypeError => new TypeError("fetch failed", { cause });

/** The Fetch standard's bad ports, refused as fetch refuses them (same error, never retried). */
const BAD_PORTS = new Set(
  "0 1 7 9 11 13 15 17 19 20 21 22 23 25 37 42 43 53 69 77 79 87 95 101 102 103 104 109 110 111 113 115 117 119 123 135 137 139 143 161 179 389 427 465 512 513 514 515 526 530 531 532 540 548 554 556 563 587 601 636 989 990 993 995 1719 1720 1723 2049 3659 4045 4190 5060 5061 6000 6566 6665 6666 6667 6668 6669 6679 6697 10080".split(
    " ",
  ),
);

async function send(request: Request | TransportRequest, agents: { http: HttpAgent; https: HttpsAgent }): Promise<Response> {
  const signal = request.signal;
  if (signal.aborted) throw signal.reason;
  const url = new URL(request.url);
  const secure = url.protocol === "https:";
  if (!secure && url.protocol !== "http:") throw failed(new Error(`unsupported protocol ${url.protocol}`));
  if (BAD_PORTS.has(url.port)) throw failed(new Error("bad port"));
  const headers: Record<string, string> = {};
  for (const [name, value] of request.headers) headers[name] = value;
  // What undici's fetch adds when absent, so the server sees one request shape on both paths.
  headers["accept"] ??= "*/*";
  headers["accept-language"] ??= "*";
  headers["sec-fetch-mode"] ??= "cors";
  headers["user-agent"] ??= "node";
  headers["accept-encoding"] ??= secure ? "br, gzip, deflate" : "gzip, deflate";
  const body = request.body === null ? undefined : Buffer.from(await (request as Request).arrayBuffer());

  return new Promise<Response>((resolve, reject) => {
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
    let source: Readable | undefined;
    const done = () => signal.removeEventListener("abort", onAbort);
    const onAbort = () => {
      done();
      req.destroy();
      source?.destroy();
      stream?.error(signal.reason); // a no-op once the body has ended or been cancelled
      reject(signal.reason);
    };
    const options = { method: request.method, headers, agent: secure ? agents.https : agents.http };
    const req = (secure ? httpsRequest : httpRequest)(url, options, (res) => {
      const status = res.statusCode!;
      const nullBody = NULL_BODY.has(status) || request.method === "HEAD";
      let response: Response;
      try {
        source = nullBody ? res : decoded(res);
        response = new Response(nullBody ? null : readable(source, (c) => (stream = c), done), {
          status,
          statusText: res.statusMessage,
          headers: responseHeaders(res.rawHeaders),
        });
      } catch (e) {
        done();
        res.destroy();
        reject(failed(e));
        return;
      }
      if (nullBody) {
        done();
        res.resume();
      }
      resolve(response);
    });
    // A 101 nobody asked for: Node would drop the socket and never settle (fetch fails at once).
    req.on("upgrade", (_res, socket) => {
      done();
      socket.destroy();
      reject(failed(new Error("unexpected 101 Switching Protocols")));
    });
    req.on("error", (e) => {
      done();
      reject(signal.aborted ? signal.reason : failed(e));
    });
    signal.addEventListener("abort", onAbort, { once: true });
    req.end(body);
  });
}

function responseHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

/**
 * The body as a web stream: one chunk queued at most, the socket paused until it is read.
 * `settled` guards the controller: after a cancel (the size cap, a consumer that stops early)
 * the source may still emit what it had buffered, and enqueue/close on a settled controller
 * throws outside any promise, which would end the process.
 */
function readable(source: Readable, onController: (c: ReadableStreamDefaultController<Uint8Array>) => void, done: () => void) {
  let settled = false;
  const settle = () => {
    settled = true;
    done();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      onController(controller);
      source.on("data", (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if (controller.desiredSize! <= 0) source.pause();
      });
      source.on("end", () => {
        if (settled) return;
        settle();
        controller.close();
      });
      source.on("error", (e) => {
        if (settled) return;
        settle();
        controller.error(new TypeError("terminated", { cause: e }));
      });
      source.pause();
    },
    pull() {
      source.resume();
    },
    cancel() {
      settle();
      source.destroy();
    },
  });
}

/** Content-Encoding decoded as undici's fetch does (last coding first; unknown: left as is). */
function decoded(res: IncomingMessage): Readable {
  const header = res.headers["content-encoding"];
  if (!header) return res;
  const codings = header.toLowerCase().split(",");
  if (codings.length > MAX_CODINGS) throw new Error(`too many content-encodings in response: ${codings.length}`);
  const decoders: Transform[] = [];
  for (let i = codings.length - 1; i >= 0; i--) {
    const coding = codings[i]!.trim();
    if (coding === "gzip" || coding === "x-gzip") decoders.push(zlib.createGunzip(SYNC_FLUSH));
    else if (coding === "deflate") decoders.push(new Inflate());
    else if (coding === "br") decoders.push(zlib.createBrotliDecompress(BROTLI_FLUSH));
    else return res;
  }
  pipeline([res, ...decoders], () => {}); // an error destroys every stage, the last one included
  return decoders[decoders.length - 1]!;
}

// Lenient about truncated streams, as browsers and curl are (undici's settings).
const SYNC_FLUSH = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const BROTLI_FLUSH = { flush: zlib.constants.BROTLI_OPERATION_FLUSH, finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH };

/**
 * "deflate" is zlib-wrapped by the standard but raw from some servers: the first byte tells.
 * The inner stream pauses while this one's buffer is full (undici's version does not), so a
 * deflate bomb yields a bounded amount per read, not a whole socket chunk's worth (~64 MiB).
 * Exported for tests.
 */
export class Inflate extends Transform {
  private inner: zlib.Inflate | zlib.InflateRaw | undefined;
  override _transform(chunk: Buffer, _: BufferEncoding, callback: TransformCallback): void {
    if (!this.inner) {
      if (chunk.length === 0) return callback();
      const inner = (chunk[0]! & 0x0f) === 0x08 ? zlib.createInflate(SYNC_FLUSH) : zlib.createInflateRaw(SYNC_FLUSH);
      this.inner = inner;
      inner.on("data", (d: Buffer) => {
        if (!this.push(d)) inner.pause();
      });
      inner.on("end", () => this.push(null));
      inner.on("error", (e) => this.destroy(e));
    }
    this.inner.write(chunk, callback);
  }
  override _read(size: number): void {
    this.inner?.resume();
    super._read(size);
  }
  override _final(callback: TransformCallback): void {
    if (this.inner) this.inner.end();
    else this.push(null);
    callback();
  }
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.inner?.destroy(); // it would otherwise inflate what it holds into a stream nobody reads
    callback(error);
  }
}
