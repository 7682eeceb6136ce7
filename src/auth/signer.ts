/**
 * Huawei Cloud API gateway AK/SK request signing, algorithm `SDK-HMAC-SHA256`.
 *
 * Pure: no I/O and no clock reads. The caller sets `X-Sdk-Date` (see {@link formatSdkDate})
 * and every other header it wants signed, then sends exactly those headers plus the returned
 * `Authorization` value.
 *
 * Checked against the Go SDK's published vector and, by a differential test, against the official
 * Node SDK (`@huaweicloud/huaweicloud-sdk-core` `AKSKSigner`). Deliberate choices:
 * - path segments and query parameters are percent-decoded before being re-encoded, so an
 *   already-encoded URL is not double-encoded (the SDKs sign the decoded path-parameter text);
 * - the query is read from `url.search` with `application/x-www-form-urlencoded` rules
 *   (`+` is a space), as URLSearchParams and Go's `URL.Query()` read it;
 * - header values are trimmed (the Go SDK trims; HTTP strips surrounding whitespace on the wire);
 * - an `X-Sdk-Content-Sha256` header (e.g. `UNSIGNED-PAYLOAD`) replaces the body hash, as in
 *   both official SDKs.
 */
import { createHash, createHmac } from "node:crypto";
import { percentDecode, percentEncode } from "./percent.js";

export const SIGNING_ALGORITHM = "SDK-HMAC-SHA256";

export interface AkSkKey {
  accessKey: string;
  secretKey: string;
}

export interface SignableRequest {
  /** HTTP method exactly as sent, e.g. "GET". */
  method: string;
  /** Absolute URL; path and query are taken from it. */
  url: URL;
  /** Exactly the headers to sign (host, x-sdk-date, x-project-id, ...). Names in any case. */
  headers: Record<string, string>;
  /** Request body; absent means empty. Strings are hashed as UTF-8. */
  body?: string | Uint8Array;
}

const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
const HEADER_DATE = "x-sdk-date";
const HEADER_CONTENT_SHA256 = "x-sdk-content-sha256";

/** UTC `YYYYMMDDTHHMMSSZ`, e.g. `20060102T150405Z`. Throws RangeError on an invalid or 5+ digit-year date. */
export function formatSdkDate(date: Date): string {
  // toISOString is native and throws on invalid dates: "2006-01-02T15:04:05.000Z".
  const iso = date.toISOString();
  if (iso.length !== 24) throw new RangeError("Date is outside the range X-Sdk-Date can express");
  return (
    iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 13) + iso.slice(14, 16) + iso.slice(17, 19) + "Z"
  );
}

// ---------------------------------------------------------------------------------------------
// Canonical parts.

/** Each path segment decoded then re-encoded; always ends with "/". */
function canonicalUri(pathname: string): string {
  // Splitting on the encoded "/" keeps "%2F" inside its segment (it re-encodes to "%2F").
  let out = "";
  let start = 0;
  for (;;) {
    const slash = pathname.indexOf("/", start);
    const seg = slash === -1 ? pathname.slice(start) : pathname.slice(start, slash);
    out += percentEncode(percentDecode(seg));
    if (slash === -1) break;
    out += "/";
    start = slash + 1;
  }
  return out.length > 0 && out.charCodeAt(out.length - 1) === 47 ? out : out + "/";
}

function decodeFormComponent(s: string): string {
  return percentDecode(s.indexOf("+") === -1 ? s : s.replaceAll("+", " "));
}

/** Code-unit order, like Array.prototype.sort and the official Node SDK (not localeCompare). */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Keys sorted, then values per key sorted, comparing the DECODED text (as the official SDKs
 * do), then both encoded. An empty or missing value signs as "key=", like the SDKs.
 * Code-unit order matches the Node SDK; the Go SDK's byte order differs only when an astral
 * character (emoji) meets U+E000..U+FFFF at the same position.
 */
function canonicalQuery(search: string): string {
  if (search.length <= 1) return ""; // "" or a bare "?"
  const pairs: [string, string][] = [];
  // Same splitting as URLSearchParams: "&"-separated, empty pieces skipped, first "=" splits.
  let start = 1; // skip "?"
  while (start <= search.length) {
    let end = search.indexOf("&", start);
    if (end === -1) end = search.length;
    if (end > start) {
      const eq = search.indexOf("=", start);
      if (eq === -1 || eq > end) {
        pairs.push([decodeFormComponent(search.slice(start, end)), ""]);
      } else {
        pairs.push([decodeFormComponent(search.slice(start, eq)), decodeFormComponent(search.slice(eq + 1, end))]);
      }
    }
    start = end + 1;
  }
  // Sorting whole pairs by (key, value) equals "keys sorted, values sorted within each key".
  pairs.sort((a, b) => compareStrings(a[0], b[0]) || compareStrings(a[1], b[1]));
  let out = "";
  let prevKey: string | undefined;
  let prevEncoded = "";
  for (let i = 0; i < pairs.length; i++) {
    const [key, value] = pairs[i]!;
    if (key !== prevKey) {
      prevKey = key;
      prevEncoded = percentEncode(key);
    }
    out += (i === 0 ? "" : "&") + prevEncoded + "=" + percentEncode(value);
  }
  return out;
}

interface CanonicalParts {
  canonical: string;
  signedNames: string;
  /** Trimmed X-Sdk-Date value, if the header was given. */
  sdkDate: string | undefined;
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

function buildCanonical(req: SignableRequest): CanonicalParts {
  const names = Object.keys(req.headers);
  const entries: [string, string][] = new Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    entries[i] = [name.toLowerCase(), req.headers[name]!.trim()];
  }
  entries.sort((a, b) => compareStrings(a[0], b[0]));

  let headers = "";
  let signedNames = "";
  let sdkDate: string | undefined;
  let contentSha256: string | undefined;
  for (let i = 0; i < entries.length; i++) {
    const [name, value] = entries[i]!;
    if (i > 0) {
      // Two names differing only in case would be sent as one header; refuse to guess.
      if (name === entries[i - 1]![0]) throw new Error(`Duplicate header to sign: ${name}`);
      signedNames += ";";
    }
    signedNames += name;
    headers += name + ":" + value + "\n";
    if (name === HEADER_DATE) sdkDate = value;
    else if (name === HEADER_CONTENT_SHA256) contentSha256 = value;
  }

  const body = req.body;
  const payloadHash =
    contentSha256 ?? (body === undefined || body.length === 0 ? EMPTY_BODY_SHA256 : sha256Hex(body));

  const url = req.url;
  const canonical =
    req.method +
    "\n" +
    canonicalUri(url.pathname) +
    "\n" +
    canonicalQuery(url.search) +
    "\n" +
    headers +
    "\n" +
    signedNames +
    "\n" +
    payloadHash;
  return { canonical, signedNames, sdkDate };
}

/** METHOD\nURI\nQUERY\nHEADERS\nSIGNED_NAMES\nhex(sha256(body)). HEADERS ends with "\n" itself. */
export function canonicalRequest(req: SignableRequest): string {
  return buildCanonical(req).canonical;
}

/** `SDK-HMAC-SHA256\n<X-Sdk-Date>\nhex(sha256(canonical))`. */
export function stringToSign(canonical: string, sdkDate: string): string {
  return SIGNING_ALGORITHM + "\n" + sdkDate + "\n" + sha256Hex(canonical);
}

/** Lower-cased header names, sorted, joined with ";" (e.g. "host;x-sdk-date"). */
export function signedHeaderNames(headers: Record<string, string>): string {
  const names = Object.keys(headers);
  for (let i = 0; i < names.length; i++) names[i] = names[i]!.toLowerCase();
  return names.sort(compareStrings).join(";");
}

/** Shape check only (the gateway judges the clock skew): 8 digits, "T", 6 digits, "Z". */
function isSdkDate(s: string): boolean {
  if (s.length !== 16 || s.charCodeAt(8) !== 84 /* T */ || s.charCodeAt(15) !== 90 /* Z */) return false;
  for (let i = 0; i < 15; i++) {
    if (i === 8) continue;
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * The full `Authorization` header value:
 * `SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<a;b;c>, Signature=<hex>`.
 * Errors never include the secret key or header values.
 */
export function signRequest(req: SignableRequest, key: AkSkKey): string {
  if (!key.accessKey || !key.secretKey) {
    throw new Error("AK/SK signing needs a non-empty access key and secret key");
  }
  const { canonical, signedNames, sdkDate } = buildCanonical(req);
  if (!sdkDate) throw new Error("AK/SK signing needs an X-Sdk-Date header among the headers to sign");
  if (!isSdkDate(sdkDate)) throw new Error("X-Sdk-Date must be a UTC timestamp formatted YYYYMMDDTHHMMSSZ");
  const signature = createHmac("sha256", key.secretKey)
    .update(stringToSign(canonical, sdkDate))
    .digest("hex");
  return `${SIGNING_ALGORITHM} Access=${key.accessKey}, SignedHeaders=${signedNames}, Signature=${signature}`;
}

// ---------------------------------------------------------------------------------------------
// The per-call path. A client signs the same header names with the same fixed values on every
// call, and sends to one host: all of that is built once, so a call only formats its date,
// canonicalises its path and query, hashes twice and runs one HMAC. Same output as signRequest
// (test/auth/signer.test.ts compares them).

/** Signs one request given its parts (`pathname` and `search` exactly as `URL` gives them). */
export type PreparedSigner = (method: string, host: string, pathname: string, search: string, sdkDate: string) => string;

function probeHas(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((n) => n.toLowerCase() === name);
}

/**
 * A signer for `key` that signs `host`, `x-sdk-date` and the `fixed` headers (e.g. x-project-id).
 * `sdkDate` must come from {@link formatSdkDate}; it is not checked again per call.
 */
export function prepareSigner(key: AkSkKey, fixed: Record<string, string>): PreparedSigner {
  if (!key.accessKey || !key.secretKey) {
    throw new Error("AK/SK signing needs a non-empty access key and secret key");
  }
  const HOST = "\u0000host"; // placeholders, never valid header text
  const DATE = "\u0000date";
  const headers: Record<string, string> = { ...fixed, host: HOST, [HEADER_DATE]: DATE };
  if (Object.keys(headers).length !== Object.keys(fixed).length + 2) throw new Error("host and x-sdk-date are signed anyway");
  if (probeHas(fixed, HEADER_CONTENT_SHA256)) throw new Error("a prepared signer signs bodiless requests only");
  // The canonical header block with holes for host and date, built by the general code path.
  const probe = buildCanonical({ method: "GET", url: new URL("http://h/"), headers });
  const block = probe.canonical.split("\n").slice(3, -3).join("\n") + "\n";
  const secret = key.secretKey;
  const authPrefix = `${SIGNING_ALGORITHM} Access=${key.accessKey}, SignedHeaders=${probe.signedNames}, Signature=`;
  const tail = "\n" + probe.signedNames + "\n" + EMPTY_BODY_SHA256;

  // One-entry caches: a client sends to one host, and a paginator repeats one path.
  let lastHost = "";
  let headersBefore = "";
  let headersAfter = "";
  let lastPath = "";
  let lastUri = "";
  return (method, host, pathname, search, sdkDate) => {
    if (host !== lastHost) {
      [headersBefore, headersAfter] = block.replace(HOST, () => host.trim()).split(DATE) as [string, string];
      lastHost = host;
    }
    if (pathname !== lastPath) {
      lastUri = canonicalUri(pathname);
      lastPath = pathname;
    }
    const canonical =
      method + "\n" + lastUri + "\n" + canonicalQuery(search) + "\n" + headersBefore + sdkDate + headersAfter + tail;
    const signature = createHmac("sha256", secret).update(stringToSign(canonical, sdkDate)).digest("hex");
    return authPrefix + signature;
  };
}
