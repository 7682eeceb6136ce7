/**
 * Base URL resolution: `region` maps to the regional DMS host, `endpoint` overrides it.
 * Credentials must never travel in clear text, so plain `http:` is refused unless the host is
 * a loopback address (local test servers and proxies).
 */
import { DmsValidationError } from "./errors.js";

/** Huawei Cloud region IDs: `cn-north-4`, `ap-southeast-1`, `eu-west-101`, `ae-ad-1`, ... */
const REGION_RE = /^[a-z]{2}(?:-[a-z]{1,20}){1,3}-[0-9]{1,3}$/;

/** Regions whose DMS host is not under `myhuaweicloud.com`. */
const REGION_HOST_EXCEPTIONS: Readonly<Record<string, string>> = {
  "eu-west-101": "dms.eu-west-101.myhuaweicloud.eu",
};

export function regionBaseUrl(region: unknown): string {
  if (typeof region !== "string" || !REGION_RE.test(region)) {
    throw new DmsValidationError("region", "must be a region ID such as cn-north-4 or ap-southeast-1");
  }
  return "https://" + (REGION_HOST_EXCEPTIONS[region] ?? `dms.${region}.myhuaweicloud.com`);
}

/** 127.0.0.0/8, ::1 and localhost (the URL parser has already normalised forms like `127.1`). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === "localhost" || h === "[::1]") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Checks an explicit endpoint and returns its origin (no trailing slash). */
export function endpointBaseUrl(endpoint: unknown): string {
  let url: URL;
  if (endpoint instanceof URL) url = new URL(endpoint.href);
  else if (typeof endpoint === "string" && endpoint !== "") {
    try {
      url = new URL(endpoint);
    } catch {
      throw new DmsValidationError("endpoint", "is not an absolute URL");
    }
  } else throw new DmsValidationError("endpoint", "must be a URL string or a URL");

  if (url.protocol === "http:") {
    if (!isLoopbackHost(url.hostname)) {
      throw new DmsValidationError(
        "endpoint",
        "plain http: would send credentials in clear text; use https: (http: is allowed only to a loopback address)",
      );
    }
  } else if (url.protocol !== "https:") {
    throw new DmsValidationError("endpoint", "must use https:");
  }
  // The base URL is the origin alone: the client appends the API's full path, so a path here
  // (e.g. ".../v2") would only produce 404s for "/v2/v2/...". `?` and `#` are refused even
  // when empty (the URL parser drops an empty query or fragment from `search` and `hash`).
  if (url.username || url.password) throw new DmsValidationError("endpoint", "must not contain user info");
  if (url.href.includes("?")) throw new DmsValidationError("endpoint", "must not contain a query");
  if (url.href.includes("#")) throw new DmsValidationError("endpoint", "must not contain a fragment");
  if (url.pathname !== "/") {
    throw new DmsValidationError("endpoint", "must have no path: give the origin only, e.g. https://dms.cn-north-4.myhuaweicloud.com");
  }
  return url.origin;
}

/** `endpoint` wins over `region`; a given region is still checked so typos surface. */
export function resolveBaseUrl(opts: { region?: unknown; endpoint?: unknown }): string {
  const fromRegion = opts.region !== undefined ? regionBaseUrl(opts.region) : undefined;
  if (opts.endpoint !== undefined) return endpointBaseUrl(opts.endpoint);
  if (fromRegion === undefined) throw new DmsValidationError("region", "give a region or an endpoint");
  return fromRegion;
}
