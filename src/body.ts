/**
 * The response-size cap. Every response passes through boundedResponse before anything reads
 * its body, so no server can make the client hold more than `maxBytes` of body, whatever it
 * declares or sends: a huge Content-Length is refused before reading, and a body that streams
 * past the cap (chunked without end, or a gzip bomb) is cut off the moment it does.
 *
 * It takes and returns a Response, so it works the same for the global fetch, an injected one
 * or any transport that yields a Response. It counts the bytes of `response.body`, which fetch
 * has already decoded (gzip, deflate, br): the cap holds for what lands in memory, not for what
 * crossed the wire.
 */
import type { Middleware } from "openapi-fetch";
import { DmsApiError } from "./errors.js";
import { requestIdOf, type Redact } from "./redact.js";
import { checkInt } from "./validate.js";

/** `errorCode` of the DmsApiError thrown when a response body exceeds `maxResponseBytes`. */
export const RESPONSE_TOO_LARGE = "ResponseTooLarge";

/** 8 MiB: a 100-task page is about 50 KB, so this is two orders of magnitude of headroom. */
export const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** The largest cap accepted (16 MiB). */
export const MAX_MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** Statuses whose Response cannot carry a body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 204, 205, 304]);

export function checkMaxResponseBytes(value: unknown): number {
  return value === undefined ? DEFAULT_MAX_RESPONSE_BYTES : checkInt("maxResponseBytes", value, 1, MAX_MAX_RESPONSE_BYTES);
}

/**
 * `response` with a body that errors (with a ResponseTooLarge DmsApiError) once more than
 * `maxBytes` decoded bytes have streamed; the original body is then cancelled, which closes
 * the connection. Throws at once, after cancelling the body, when Content-Length already says
 * too much. (A pull source costs about a quarter of what pipeThrough a TransformStream does
 * per call: some 25 µs against 110 µs for a one-chunk body, measured on Node 20.)
 */
export function boundedResponse(response: Response, maxBytes: number, redact: Redact, trustFraming = false): Response {
  const body = response.body;
  if (body === null || NULL_BODY_STATUSES.has(response.status)) return response; // no body to bound

  const tooLarge = (what: string) =>
    new DmsApiError({
      status: response.status,
      errorCode: RESPONSE_TOO_LARGE,
      errorMsg: `the response body ${what}, more than maxResponseBytes (${maxBytes})`,
      requestId: requestIdOf(response.headers, redact),
    });
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    body.cancel().catch(() => {}); // nothing more to learn from it
    throw tooLarge(`declares ${declared} bytes`);
  }
  // A body framed by a Content-Length within the cap, with no content coding to expand it,
  // cannot grow past it: the HTTP parser delivers exactly that many bytes. So there is nothing
  // to count, and the wrapping stream (about a fifth of a loopback call, bench/NOTES.md) is
  // skipped. Only where the transport is known to parse HTTP (the default one, Node's fetch):
  // an injected fetch may build a Response whose body disagrees with its headers.
  if (trustFraming && declared <= maxBytes && !response.headers.has("content-encoding")) return response;
  const reader = body.getReader();
  let seen = 0;
  const limited = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen <= maxBytes) return controller.enqueue(value);
      controller.error(tooLarge("streams"));
      await reader.cancel(); // closes the connection
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The cap as openapi-fetch middleware: onResponse runs before openapi-fetch reads the body
 * (it always reads an error body whole with text(), whatever `parseAs` says), so both success
 * and error bodies are bounded.
 */
export function boundedBodyMiddleware(maxBytes: number, redact: Redact, trustFraming: boolean): Middleware {
  return { onResponse: ({ response }) => boundedResponse(response, maxBytes, redact, trustFraming) };
}
