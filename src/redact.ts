/**
 * Text from responses and from thrown values, made safe to keep in an error: secrets redacted
 * (a misbehaving gateway or proxy may echo request headers back), every field cut to a bounded
 * length before it is redacted (so the work never grows with the body), and error bodies read
 * into DmsApiError fields.
 */
import { DmsApiError } from "./errors.js";

const SNIPPET_CHARS = 200;
const MAX_FIELD_CHARS = 2048; // the spec's maxLength of error_msg
const MAX_ENCODED_AUTH_CHARS = 8192;
const MAX_REQUEST_ID_CHARS = 128;

/**
 * Replaces secrets with `[REDACTED]`. `margin` is the length of the longest text it may
 * replace: a cut closer than that to the end of a text may split a secret, which redactedPrefix
 * allows for.
 */
export interface Redact {
  (s: string): string;
  readonly margin: number;
}

export function truncate(s: string, max: number): string {
  return s.length <= max ? s : s.slice(0, max) + "…";
}

/** Any run of 64 or more hex digits: see makeRedactor. */
const HEX_RUN = /[0-9A-Fa-f]{64,}/g;
const SIGNATURE_HEX_DIGITS = 64;

/**
 * Replaces every secret with `[REDACTED]`, so nothing a server (or an injected fetch) echoes
 * back can leak a credential into an error.
 *
 * - Secrets (token, secret key, security token) are replaced by value, in any letter case, in
 *   the forms an echo may take (secretForms): as sent, JSON-escaped (with `/` plain or `\/`),
 *   percent-encoded (encodeURIComponent, or every byte as %XX), and base64 or base64url of
 *   the secret on its own. Any other transformation (a secret inside a larger base64 blob,
 *   hashed, reversed, split) cannot be recognised and is not covered. The client only accepts
 *   secrets of at least MIN_SECRET_CHARS characters (validate.ts): a shorter one could occur in
 *   ordinary text and could not be removed without garbling it.
 * - An Authorization value (`SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>,
 *   Signature=<hex>`) holds one secret-derived part, the signature: 64 hex digits. Every run of
 *   64 or more hex digits is replaced, whatever precedes it (`Signature=`, `signature: `, a
 *   JSON quote, `%3D`) and in either case. That is the simplest rule that needs no state (no
 *   record of the signatures sent, which concurrent calls would share) and misses no echo
 *   form; its cost is that an unrelated 64-hex value (a SHA-256 digest) in an error message
 *   is redacted too. The access key is not a secret and is kept.
 */
export function makeRedactor(secrets: readonly (string | undefined)[]): Redact {
  const forms = new Set<string>();
  for (const secret of secrets) if (secret) for (const form of secretForms(secret)) forms.add(form.toLowerCase());
  const list = [...forms].sort((a, b) => b.length - a.length);
  // One case-insensitive pass; longest first, so a form never leaves the tail of a longer one.
  const re = list.length === 0 ? undefined : new RegExp(list.map(escapeRegExp).join("|"), "gi");
  const redact = (s: string) => (re ? s.replace(re, "[REDACTED]") : s).replace(HEX_RUN, "[REDACTED]");
  return Object.assign(redact, { margin: Math.max(SIGNATURE_HEX_DIGITS, list[0]?.length ?? 0) });
}

/** The forms of one secret that redaction recognises (compared case-insensitively). */
export function secretForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const bytes = Buffer.from(secret, "utf8");
  return [
    secret,
    json,
    json.replaceAll("/", "\\/"),
    encodeURIComponent(secret),
    [...bytes].map((b) => "%" + b.toString(16).padStart(2, "0")).join(""),
    bytes.toString("base64").replace(/=+$/, ""),
    bytes.toString("base64url"),
  ];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/**
 * The first `max` characters of `text`, redacted, at a cost bounded by `max` + the redactor's
 * margin however long `text` is: only that much is looked at, and when `text` was longer, the
 * last `margin` characters of the redacted window are dropped (a secret split by the cut can
 * only leave a prefix there, which no pattern would match).
 */
export function redactedPrefix(text: string, max: number, redact: Redact): string {
  const window = max + redact.margin;
  return redactHead(text.length > window ? text.slice(0, window) : text, text.length > window, max, redact);
}

function redactHead(head: string, cut: boolean, max: number, redact: Redact): string {
  let r = redact(head);
  if (cut) r = r.slice(0, Math.max(0, r.length - redact.margin));
  return r.length > max ? r.slice(0, max) + "…" : cut ? r + "…" : r;
}

/** The X-Request-Id header, redacted and truncated; undefined when absent or empty. */
export function requestIdOf(headers: Headers, redact: Redact): string | undefined {
  const id = headers.get("x-request-id");
  return id ? redactedPrefix(id, MAX_REQUEST_ID_CHARS, redact) : undefined;
}

/** How many levels of `cause` sanitizedError copies. */
export const MAX_CAUSE_DEPTH = 3;

/**
 * A copy of a thrown value that is safe to keep (see DmsNetworkError): a new Error with the
 * original's name, message and string or numeric `code`, each redacted, and its `cause` copied
 * the same way up to MAX_CAUSE_DEPTH levels. Nothing else of the original is kept.
 */
export function sanitizedError(thrown: unknown, redact: Redact, depth = 1): Error {
  const source = typeof thrown === "object" && thrown !== null ? (thrown as Record<string, unknown>) : undefined;
  const isError = thrown instanceof Error;
  const clean = (s: string) => redactedPrefix(s, MAX_FIELD_CHARS, redact);
  const copy = new Error(clean(isError ? safeString(() => thrown.message) : safeString(() => String(thrown))));
  if (isError) {
    const name = safeString(() => thrown.name);
    if (name !== "" && name !== "Error") copy.name = clean(name);
  }
  const code = source && safeGet(source, "code");
  if (typeof code === "string" || typeof code === "number") (copy as Error & { code?: string }).code = clean(String(code));
  const cause = isError ? safeGet(source!, "cause") : undefined;
  if (cause !== undefined && depth < MAX_CAUSE_DEPTH) copy.cause = sanitizedError(cause, redact, depth + 1);
  return copy;
}

/** A property read that cannot throw (a hostile getter or proxy reads as undefined). */
function safeGet(o: Record<string, unknown>, key: string): unknown {
  try {
    return o[key];
  } catch {
    return undefined;
  }
}

function safeString(read: () => unknown): string {
  try {
    return String(read());
  } catch {
    return "";
  }
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "number" && Number.isFinite(v)) return String(v);
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Builds the DmsApiError of a non-2xx response. `body` is what openapi-fetch hands back: the
 * parsed JSON, the raw text when it was not JSON, or undefined when empty. Understands
 * `{error_code, error_msg}`, `{error: {code, message}}` and `{code, message}`, each with optional
 * `request_id` and `encoded_authorization_message`. Every string is cut before it is redacted
 * (redactedPrefix), so the cost does not grow with the body, and the status is always kept: a
 * body too deeply nested to serialise still gives a DmsApiError with its status.
 */
export function apiErrorFromBody(status: number, headers: Headers, body: unknown, redact: Redact): DmsApiError {
  const clean = (v: unknown, max = MAX_FIELD_CHARS): string | undefined => {
    const s = str(v);
    return s === undefined ? undefined : redactedPrefix(s, max, redact);
  };
  let errorCode: string | undefined;
  let errorMsg: string | undefined;
  let bodyRequestId: string | undefined;
  let encoded: string | undefined;
  let bodySnippet: string | undefined;

  if (isObject(body)) {
    const nested = isObject(body.error) ? body.error : undefined;
    errorCode = clean(body.error_code ?? nested?.code ?? body.code, 64);
    errorMsg = clean(body.error_msg ?? nested?.message ?? body.message);
    bodyRequestId = clean(body.request_id ?? nested?.request_id, MAX_REQUEST_ID_CHARS);
    encoded = clean(body.encoded_authorization_message ?? nested?.encoded_authorization_message, MAX_ENCODED_AUTH_CHARS);
    if (errorCode === undefined && errorMsg === undefined) bodySnippet = snippet(jsonText(body), redact);
  } else if (typeof body === "string" && body.trim() !== "") {
    bodySnippet = snippet(body, redact);
  } else if (body !== undefined && typeof body !== "string") {
    bodySnippet = snippet(jsonText(body), redact); // a JSON array, number, ...
  }

  return new DmsApiError({
    status,
    errorCode,
    errorMsg,
    requestId: requestIdOf(headers, redact) ?? bodyRequestId,
    encodedAuthorizationMessage: encoded,
    bodySnippet,
  });
}

/** JSON.stringify that cannot throw (it overflows the stack on a deeply nested document). */
function jsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? "";
  } catch {
    return "(a JSON document nested too deeply to show)";
  }
}

/**
 * A short snippet for an error message: whitespace collapsed (HTML error pages), redacted,
 * cut to SNIPPET_CHARS. Only a bounded head of `text` is ever looked at (see redactedPrefix).
 */
export function snippet(text: string, redact: Redact): string {
  const limit = 4 * (SNIPPET_CHARS + redact.margin); // room for collapsed whitespace
  const cut = text.length > limit;
  const head = (cut ? text.slice(0, limit) : text).replace(/\s+/g, " ").trim();
  return redactHead(head, cut, SNIPPET_CHARS, redact);
}
