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
import { formatSdkDate, signRequest } from "./signer.js";

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

  const key = { accessKey: credentials.accessKey, secretKey: credentials.secretKey };
  const securityToken = credentials.securityToken;
  return {
    onRequest({ request }) {
      // Only bodiless requests are made; a body would have to be read to be hashed.
      if (request.body !== null) throw new Error("AK/SK middleware signs only requests without a body");
      const date = sdkDate(now);
      const url = new URL(request.url);
      // Exactly the headers signed; `host` is what fetch sends for this URL (port included).
      const signed: Record<string, string> = { host: url.host, "x-sdk-date": date, "x-project-id": projectId };
      const headers = request.headers;
      headers.set("X-Sdk-Date", date);
      headers.set("X-Project-Id", projectId);
      if (securityToken !== undefined) {
        signed["x-security-token"] = securityToken;
        headers.set("X-Security-Token", securityToken);
      }
      headers.set("Authorization", signRequest({ method: request.method, url, headers: signed }, key));
      return request;
    },
  };
}

function sdkDate(now: () => Date): string {
  const date = now();
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw new DmsValidationError("now", "must return a valid Date");
  }
  try {
    return formatSdkDate(date);
  } catch {
    throw new DmsValidationError("now", "returned a Date outside the years 0000 to 9999");
  }
}
