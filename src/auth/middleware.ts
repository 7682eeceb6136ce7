/**
 * Authentication as openapi-fetch `onRequest` middleware. It runs once per attempt (the retry
 * loop calls openapi-fetch again), so every attempt carries a fresh X-Sdk-Date and signature.
 *
 * X-Project-Id is sent in both modes: AK/SK needs it set and signed; with a token it is
 * redundant with the path but harmless, and keeping one request shape for both modes keeps
 * gateway behaviour (and tests) identical.
 */
import type { Middleware } from "openapi-fetch";
import { DmsValidationError } from "../errors.js";
import type { CheckedCredentials } from "../validate.js";
import { formatSdkDate, prepareSigner } from "./signer.js";

export function authMiddleware(credentials: CheckedCredentials, projectId: string, now: () => Date): Middleware {
  if (credentials.kind === "token") {
    const { token } = credentials;
    return {
      onRequest({ request }) {
        request.headers.set("X-Auth-Token", token);
        request.headers.set("X-Project-Id", projectId);
        return request;
      },
    };
  }

  const securityToken = credentials.securityToken;
  const fixed: Record<string, string> = { "x-project-id": projectId };
  if (securityToken !== undefined) fixed["x-security-token"] = securityToken;
  const sign = prepareSigner({ accessKey: credentials.accessKey, secretKey: credentials.secretKey }, fixed);
  const date = sdkDateCache(now);
  return {
    onRequest({ request }) {
      // Only bodiless requests are made; a body would have to be read to be hashed.
      if (request.body !== null) throw new Error("AK/SK middleware signs only requests without a body");
      const sdkDate = date();
      const { host, pathname, search } = urlParts(request.url);
      const headers = request.headers;
      headers.set("X-Sdk-Date", sdkDate);
      headers.set("X-Project-Id", projectId);
      if (securityToken !== undefined) headers.set("X-Security-Token", securityToken);
      // `host` is what the transport sends for this URL (port included), so it is signed as is.
      headers.set("Authorization", sign(request.method, host, pathname, search, sdkDate));
      return request;
    },
  };
}

/** X-Sdk-Date for now(), formatted once per second of the clock. */
function sdkDateCache(now: () => Date): () => string {
  let second = Number.NaN;
  let formatted = "";
  return () => {
    const date = now();
    const time = date instanceof Date ? date.getTime() : Number.NaN;
    if (Number.isNaN(time)) throw new DmsValidationError("now", "must return a valid Date");
    const s = Math.floor(time / 1000);
    if (s !== second) {
      try {
        formatted = formatSdkDate(date);
      } catch {
        throw new DmsValidationError("now", "returned a Date outside the years 0000 to 9999");
      }
      second = s;
    }
    return formatted;
  };
}

/**
 * host, pathname and search of a Request's URL without parsing it again: `request.url` is
 * already a serialized WHATWG URL ("scheme://host/path?query", no user info: the endpoint
 * check refuses it), so its parts are where the serializer put them. Anything else is parsed.
 */
function urlParts(url: string): { host: string; pathname: string; search: string } {
  const hostStart = url.indexOf("://") + 3;
  const pathStart = url.indexOf("/", hostStart);
  const hash = url.indexOf("#");
  if (hostStart === 2 || pathStart === -1 || hash !== -1 || url.lastIndexOf("@", pathStart) >= hostStart) {
    return new URL(url);
  }
  const q = url.indexOf("?", pathStart);
  return q === -1
    ? { host: url.slice(hostStart, pathStart), pathname: url.slice(pathStart), search: "" }
    : { host: url.slice(hostStart, pathStart), pathname: url.slice(pathStart, q), search: q === url.length - 1 ? "" : url.slice(q) };
}
