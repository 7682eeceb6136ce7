/**
 * Thin wrapper around the official Node SDK signer (`@huaweicloud/huaweicloud-sdk-core` 3.1.211,
 * `AKSKSigner.sign`), used as a differential oracle and as the baseline in benchmarks.
 *
 * The SDK takes a structured request, not a URL: the DECODED path, the DECODED query parameters
 * (`queryParams`, an array per repeated key) and a JSON body (`data`, hashed as
 * `JSON.stringify(data)`). Quirks handled here:
 * - it reads the date only from the exact key "X-Sdk-Date" (else it signs the current time and
 *   adds a second date header), so that key is spelled exactly;
 * - it always signs `host` (taken from `headers.host`, else from the endpoint);
 * - it does not trim header values, unlike the Go SDK and what the gateway receives (HTTP strips
 *   surrounding whitespace), so values are trimmed here;
 * - it parses the path with the legacy `url.parse`, which auto-escapes space, quotes, braces, "|",
 *   "^", "`", "<", ">" and then encodes the "%" again (it would sign "/a b" as "/a%2520b" while
 *   sending "/a%20b"), and truncates at "?"/"#". With `path` given, that parse is bypassed and
 *   the SDK's own per-segment encoding is applied to the decoded path instead.
 */
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js";
import type { ICredential } from "@huaweicloud/huaweicloud-sdk-core/auth/ICredential.js";
import type { AkSkKey } from "../../src/auth/signer.js";

export interface OfficialSignInput {
  method: string;
  /** "https://host[:port]"; with no `path`, the full URL the SDK would parse itself. */
  endpoint: string;
  /** DECODED path, e.g. "/v2/my project/tasks"; bypasses the SDK's url.parse (see above). */
  path?: string;
  /** DECODED query parameters; repeated keys as arrays. */
  queryParams?: Record<string, string | string[]>;
  /** Headers to sign, any case; must include host and x-sdk-date. */
  headers: Record<string, string>;
  /** JSON body; the SDK signs sha256(JSON.stringify(data)). Must be an object or array. */
  data?: object;
}

class PathBypassSigner extends AKSKSigner {
  static decodedPath: string | undefined;
  protected static override CanonicalURI(parsedPath?: string): string | undefined {
    return super.CanonicalURI(PathBypassSigner.decodedPath ?? parsedPath);
  }
}

/** Header names lower-cased (but "X-Sdk-Date" spelled as the SDK looks it up), values trimmed. */
export function toOfficialHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    out[lower === "x-sdk-date" ? "X-Sdk-Date" : lower] = value.trim();
  }
  return out;
}

/**
 * Returns the official SDK's Authorization value. Pass `headers` already normalized with
 * {@link toOfficialHeaders} (cheap to do once, outside a benchmark loop).
 */
export function officialAuthorization(input: OfficialSignInput, key: AkSkKey): string {
  const credential = { getAk: () => key.accessKey, getSk: () => key.secretKey } as ICredential;
  const request = {
    method: input.method,
    endpoint: input.endpoint,
    headers: { ...input.headers }, // sign() reads and may add to it; keep the caller's copy intact
    queryParams: input.queryParams ?? {},
    data: input.data,
  };
  PathBypassSigner.decodedPath = input.path; // sign() is synchronous, so this cannot leak
  try {
    const signed = PathBypassSigner.sign(request, credential) as Record<string, string>;
    const authorization = signed["Authorization"];
    if (authorization === undefined) throw new Error("official signer returned no Authorization");
    return authorization;
  } finally {
    PathBypassSigner.decodedPath = undefined;
  }
}
