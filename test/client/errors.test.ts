/** Error mapping of every body variant, and the guarantee that no credential is ever thrown. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createBackgroundTasksClient,
  DmsApiError,
  DmsError,
  DmsNetworkError,
  DmsValidationError,
  parseTaskParams,
} from "../../src/index.js";
import { makeRedactor, sanitizedError } from "../../src/redact.js";
import { closedPortUrl, type Reply, useTestServer } from "./server.js";

const PROJECT = "proj_1";
const INSTANCE = "inst-1";
const TOKEN = "errors-test-token-0123456789";

const server = useTestServer();

function client(extra: Record<string, unknown> = {}) {
  return createBackgroundTasksClient({
    endpoint: server.url,
    projectId: PROJECT,
    credentials: { token: TOKEN },
    retry: false,
    ...extra,
  });
}

async function failWith(reply: Reply): Promise<DmsApiError> {
  server.setHandler(() => reply);
  const err = await client()
    .listBackgroundTasks({ instanceId: INSTANCE })
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DmsApiError);
  return err as DmsApiError;
}

describe("DmsError, the common base", () => {
  it("catches every error the client throws with one instanceof check", async () => {
    const bad = await client()
      .listBackgroundTasks({ instanceId: "" })
      .catch((e: unknown) => e);
    server.setHandler(() => ({ status: 404, body: "{}" }));
    const api = await client()
      .listBackgroundTasks({ instanceId: INSTANCE })
      .catch((e: unknown) => e);
    const net = await createBackgroundTasksClient({
      endpoint: await closedPortUrl(),
      projectId: PROJECT,
      credentials: { token: TOKEN },
      retry: false,
    })
      .listBackgroundTasks({ instanceId: INSTANCE })
      .catch((e: unknown) => e);
    for (const [e, cls, name] of [
      [bad, DmsValidationError, "DmsValidationError"],
      [api, DmsApiError, "DmsApiError"],
      [net, DmsNetworkError, "DmsNetworkError"],
    ] as const) {
      expect(e).toBeInstanceOf(cls);
      expect(e).toBeInstanceOf(DmsError);
      expect((e as Error).name).toBe(name);
    }
  });
});

describe("DmsApiError from each body variant", () => {
  it("{error_code, error_msg, request_id, encoded_authorization_message}", async () => {
    const e = await failWith({
      status: 403,
      body: {
        error_code: "APIGW.0302",
        error_msg: "The IAM user is not authorized to access the API.",
        request_id: "body-req-id",
        encoded_authorization_message: "4BPQ7WkcrNQe5xQ7sqZzL7ZMHHWA",
      },
    });
    expect(e).toMatchObject({
      name: "DmsApiError",
      status: 403,
      errorCode: "APIGW.0302",
      errorMsg: "The IAM user is not authorized to access the API.",
      requestId: "body-req-id",
      encodedAuthorizationMessage: "4BPQ7WkcrNQe5xQ7sqZzL7ZMHHWA",
      bodySnippet: undefined,
    });
    expect(e.message).toBe(
      "DMS API error: HTTP 403 APIGW.0302: The IAM user is not authorized to access the API. (request id body-req-id)",
    );
  });

  it("prefers the X-Request-Id header over the body's request_id", async () => {
    const e = await failWith({
      status: 404,
      headers: { "X-Request-Id": "hdr-req-id" },
      body: { error_code: "DMS.00404022", error_msg: "This instance does not exist.", request_id: "body-req-id" },
    });
    expect(e).toMatchObject({ status: 404, errorCode: "DMS.00404022", requestId: "hdr-req-id" });
  });

  it("{error: {code, message}}", async () => {
    const e = await failWith({ status: 401, body: { error: { code: "APIGW.0301", message: "expired", request_id: "r1" } } });
    expect(e).toMatchObject({ status: 401, errorCode: "APIGW.0301", errorMsg: "expired", requestId: "r1" });
  });

  it("{code, message} (numeric code too)", async () => {
    const e1 = await failWith({ status: 400, body: { code: "DMS.00400062", message: "Invalid limit." } });
    expect(e1).toMatchObject({ errorCode: "DMS.00400062", errorMsg: "Invalid limit." });
    const e2 = await failWith({ status: 400, body: { code: 400, message: "Bad Request" } });
    expect(e2).toMatchObject({ errorCode: "400", errorMsg: "Bad Request" });
  });

  it("a non-JSON body keeps a short, truncated, whitespace-collapsed snippet", async () => {
    const html = "<html>\n  <body>502 Bad Gateway</body>\n</html>" + " filler".repeat(200);
    const e = await failWith({ status: 502, headers: { "Content-Type": "text/html" }, body: html });
    expect(e).toMatchObject({ status: 502, errorCode: undefined, errorMsg: undefined });
    expect(e.bodySnippet!.startsWith("<html> <body>502 Bad Gateway</body> </html> filler")).toBe(true);
    expect(e.bodySnippet!.length).toBeLessThanOrEqual(201);
    expect(e.message).toContain("HTTP 502: <html>");
  });

  it("an empty body", async () => {
    const e = await failWith({ status: 500, headers: { "X-Request-Id": "empty-1" } });
    expect(e).toMatchObject({ status: 500, errorCode: undefined, errorMsg: undefined, bodySnippet: undefined });
    expect(e.message).toBe("DMS API error: HTTP 500 (empty body) (request id empty-1)");
  });

  it("JSON of an unknown shape keeps a snippet", async () => {
    const e = await failWith({ status: 418, body: { weird: true } });
    expect(e).toMatchObject({ status: 418, errorCode: undefined, bodySnippet: '{"weird":true}' });
  });

  it("a very long error_msg is truncated", async () => {
    const e = await failWith({ status: 400, body: { error_code: "X", error_msg: "m".repeat(10_000) } });
    expect(e.errorMsg!.length).toBeLessThanOrEqual(2049);
  });
});

describe("parseTaskParams", () => {
  it("decodes the JSON string", () => {
    expect(parseTaskParams({ id: "t", params: '{"a":[1,2]}' })).toEqual({ a: [1, 2] });
    expect(parseTaskParams({ id: "t" })).toBeUndefined();
  });
  it("says clearly when params is not JSON", () => {
    expect(() => parseTaskParams({ id: "task-9", params: "{oops" })).toThrow(/params field of task task-9 is not JSON/);
    expect(() => parseTaskParams({ id: "task-9", params: "" })).toThrow(SyntaxError);
    expect(() => parseTaskParams({ id: "t", params: 42 as unknown as string })).toThrow(/not a string/);
  });
});

describe("the redactor", () => {
  it("removes secrets, their JSON-escaped and percent-encoded forms, and signatures", () => {
    const r = makeRedactor(['se"cr\\et', undefined, "tok", "a+b/c=d"]);
    expect(r('x se"cr\\et y')).toBe("x [REDACTED] y");
    expect(r(JSON.stringify({ a: 'se"cr\\et' }))).toBe('{"a":"[REDACTED]"}');
    expect(r("tok tok")).toBe("[REDACTED] [REDACTED]");
    expect(r("value=a%2Bb%2Fc%3Dd")).toBe("value=[REDACTED]");
    expect(r("Signature=" + "ab12".repeat(16))).toBe("Signature=[REDACTED]");
  });

  it("removes a signature however it is echoed: any case, any separator, inside JSON or percent-encoded", () => {
    const sig = "0123456789abcdef".repeat(4);
    const r = makeRedactor([]);
    for (const echo of [
      `signature: ${sig}`,
      `SIGNATURE=${sig.toUpperCase()}`,
      `{"Signature": "${sig}"}`,
      `Signature%3D${sig}`,
      `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=${sig}`,
    ]) {
      const out = r(echo);
      expect(out.toLowerCase()).not.toContain(sig);
      expect(out).toContain("[REDACTED]");
    }
    // Shorter hex runs (request ids, error codes) are kept.
    expect(r("request 0123456789abcdef0123456789abcdef failed")).toBe("request 0123456789abcdef0123456789abcdef failed");
  });

  it("sanitizedError copies name, message and code down the cause chain, redacted, and nothing else", () => {
    const r = makeRedactor(["secret-value-0123456789"]);
    const inner = Object.assign(new Error("connect to secret-value-0123456789"), { code: "ECONNREFUSED", headers: { a: 1 } });
    const outer = Object.assign(new TypeError("fetch failed", { cause: inner }), { request: { token: "secret-value-0123456789" } });
    const copy = sanitizedError(outer, r);
    expect(copy).not.toBe(outer);
    expect(copy).toBeInstanceOf(Error);
    expect(copy).toMatchObject({ name: "TypeError", message: "fetch failed" });
    expect(copy.cause).toMatchObject({ message: "connect to [REDACTED]", code: "ECONNREFUSED" });
    expect(Object.keys(copy)).not.toContain("request");
    expect(Object.keys(copy.cause as object)).not.toContain("headers");
    expect(sanitizedError("secret-value-0123456789 as a string", r).message).toBe("[REDACTED] as a string");
    // A cycle or a very deep chain ends after a few levels.
    const loop = new Error("loop");
    loop.cause = loop;
    let depth = 0;
    for (let e: unknown = sanitizedError(loop, r); e instanceof Error; e = e.cause) depth++;
    expect(depth).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------
// No secret in anything thrown: message, stack, JSON.stringify, own properties, cause chain.

function everythingIn(err: unknown, depth = 0): string {
  if (depth > 5 || err === null || err === undefined) return "";
  if (typeof err !== "object") return String(err);
  const e = err as Record<string, unknown> & Error;
  let out = `${String(e.message)}\n${String(e.stack)}\n${safeJson(e)}\n${String(e)}\n`;
  for (const key of Object.getOwnPropertyNames(e)) {
    const v = e[key];
    out += key === "cause" ? everythingIn(v, depth + 1) : `${String(v)}\n${safeJson(v)}\n`;
  }
  return out;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return "";
  }
}

/** The 64-hex signature of an Authorization value ("" when none). */
const signatureOf = (authorization: string | null | undefined) => /Signature=([0-9a-f]{64})/.exec(authorization ?? "")?.[1] ?? "";

/**
 * A fetch that records the credential headers and signatures of every request and passes it
 * on, or fails as a fetch may: with the headers in its error (message, code, properties).
 */
function recordingFetch(fail = false) {
  const sent: string[] = [];
  const signatures: string[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    for (const name of ["authorization", "x-auth-token", "x-security-token"]) {
      const v = request.headers.get(name);
      if (v) sent.push(v);
    }
    const sig = signatureOf(request.headers.get("authorization"));
    if (sig) signatures.push(sig);
    if (!fail) return globalThis.fetch(request);
    const headers = Object.fromEntries(request.headers);
    const dump = JSON.stringify(headers);
    const inner = Object.assign(new Error(`socket hang up while sending ${dump}`), { code: `ECONNRESET ${dump}`, headers });
    throw Object.assign(new TypeError(`fetch failed: ${request.method} ${request.url} ${dump}`, { cause: inner }), { headers });
  };
  return { fetch, sent, signatures };
}

/** No secret or credential header value in `text`, and no signature in any letter case. */
function expectNoCredential(text: string, values: readonly (string | undefined)[], signatures: readonly string[]): void {
  for (const v of values) if (v) expect(text).not.toContain(v);
  for (const sig of signatures) expect(text.toLowerCase()).not.toContain(sig);
}

describe("each way a credential could leak", () => {
  const SK = "errors-test-secret-key-0123456789";
  const STS = "errors-test-security-token-0123456789";
  const kinds = [
    ["a token", { token: TOKEN }],
    ["AK/SK with a security token", { accessKey: "ERRORSTESTACCESSKEY0", secretKey: SK, securityToken: STS }],
  ] as const;

  /** The error of one call with these credentials, and what the call sent. */
  async function errorOf(credentials: object, fetchFails = false) {
    const recorder = recordingFetch(fetchFails);
    const err = await client({ credentials, fetch: recorder.fetch })
      .listBackgroundTasks({ instanceId: INSTANCE })
      .catch((e: unknown) => e);
    return { err, recorder };
  }

  function expectNoSecret(err: unknown, recorder: ReturnType<typeof recordingFetch>): void {
    expect(recorder.sent.length).toBeGreaterThan(0);
    expectNoCredential(everythingIn(err), [TOKEN, SK, STS, ...recorder.sent], recorder.signatures);
  }

  it.each(kinds)("a 2xx with a bad body and X-Request-Id echoing the credentials (%s)", async (_, credentials) => {
    server.setHandler((r) => ({
      status: 200,
      headers: { "X-Request-Id": String(r.headers["x-auth-token"] ?? r.headers["x-security-token"]) },
      body: "not json",
    }));
    const { err, recorder } = await errorOf(credentials);
    expect(err).toMatchObject({ name: "DmsApiError", errorCode: "InvalidResponse", requestId: "[REDACTED]" });
    expectNoSecret(err, recorder);
  });

  it.each(kinds)("an injected fetch whose error carries the request headers (%s)", async (_, credentials) => {
    const { err, recorder } = await errorOf(credentials, true);
    expect(err).toBeInstanceOf(DmsNetworkError);
    const e = err as DmsNetworkError;
    expect(e.message).toMatch(/^Request failed without a response: fetch failed: GET http:\/\/127\.0\.0\.1:\d+\/v2\/.*\[REDACTED\].*: socket hang up while sending /);
    // The cause is a sanitized copy: name, message and code kept (redacted), the rest dropped.
    expect(e.cause).toMatchObject({ name: "TypeError", cause: { code: expect.stringMatching(/^ECONNRESET .*\[REDACTED\]/) } });
    expect(Object.keys(e.cause as object)).not.toContain("headers");
    expectNoSecret(err, recorder);
  });

  it.each(kinds)("a server echoing the signature as `signature: <hex>` and the secrets in an error message (%s)", async (_, credentials) => {
    server.setHandler((r) => {
      const sig = signatureOf(String(r.headers.authorization ?? ""));
      const secrets = [r.headers["x-auth-token"], r.headers["x-security-token"]].filter(Boolean).join(" ");
      return {
        status: 401,
        body: { error_code: "APIGW.0301", error_msg: `Incorrect IAM authentication information: signature: ${sig}, SIGNATURE ${sig.toUpperCase()}; ${secrets}` },
      };
    });
    const { err, recorder } = await errorOf(credentials);
    expect(err).toMatchObject({ name: "DmsApiError", status: 401, errorMsg: expect.stringContaining("[REDACTED]") });
    expectNoSecret(err, recorder);
  });

  it("a secret long enough to redact never garbles the rest of a message", async () => {
    // With the token "t", redaction used to turn this into "This ins[REDACTED]ance does no[REDACTED] …".
    const e = await failWith({ status: 404, body: { error_code: "DMS.00404022", error_msg: "This instance does not exist." } });
    expect(e.errorMsg).toBe("This instance does not exist.");
    expect(() => createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials: { token: "t" } })).toThrow(
      expect.objectContaining({ name: "DmsValidationError", argument: "credentials.token" }),
    );
  });
});

/**
 * Failure modes: replies that echo every request header back, in each body shape (non-2xx and
 * 2xx, body and X-Request-Id header, signatures in other spellings), network failures, and an
 * injected fetch that puts the headers into its error.
 */
const echoModes = [
  "echo-json",
  "echo-text",
  "echo-unknown",
  "echo-200",
  "echo-200-request-id",
  "echo-signature",
  "reset",
  "hang",
  "refused",
  "fetch-error",
] as const;
type Mode = (typeof echoModes)[number];
const NETWORK_MODES: readonly Mode[] = ["reset", "hang", "refused", "fetch-error"];
/** Modes whose error surely keeps (redacted) echoed credentials: the test can see the echo arrive. */
const SURE_ECHO_MODES: readonly Mode[] = ["echo-json", "echo-200-request-id", "echo-signature", "fetch-error"];

describe("no credential ever appears in an error", () => {
  it("property: random secrets x failure modes x credential kinds", async () => {
    const refusedUrl = await closedPortUrl();
    const secret = fc.stringMatching(/^[A-Za-z0-9+/=_-]{16,48}$/);
    const accessKey = fc.stringMatching(/^[A-Z0-9]{20}$/); // the shape of a real AK
    await fc.assert(
      fc.asyncProperty(
        fc.record({ ak: accessKey, sk: secret, sts: fc.option(secret, { nil: undefined }), token: secret }),
        fc.constantFrom(...echoModes),
        fc.boolean(),
        async ({ ak, sk, sts, token }, mode: Mode, useToken) => {
          // The access key is no secret and must survive (checked below). In the echoed
          // Authorization value it stands in "Access=<ak>," and a secret (no spaces, no commas)
          // can only overlap it by being a substring of "Access=<ak>": then redacting the secret
          // rightly removes part of the AK. Such inputs say nothing about leaks; skip them.
          fc.pre(useToken || [sk, sts].every((s) => s === undefined || !`Access=${ak}`.includes(s)));
          server.setHandler((r) => {
            const dump = JSON.stringify(r.headers);
            const authorization = String(r.headers.authorization ?? "");
            const sig = signatureOf(authorization);
            switch (mode) {
              case "echo-json":
                return { status: 400, body: { error_code: dump, error_msg: dump, request_id: dump, encoded_authorization_message: dump } };
              case "echo-text":
                return { status: 503, body: `headers were ${dump} and ${authorization}` };
              case "echo-unknown":
                return { status: 400, body: { whatever: r.headers } };
              case "echo-200":
                return { status: 200, body: { task_count: "x", tasks: [], echo: r.headers } };
              case "echo-200-request-id":
                return { status: 200, headers: { "X-Request-Id": `id-${String(r.headers["x-auth-token"] ?? r.headers["x-security-token"] ?? sig)}` }, body: "{}" };
              case "echo-signature":
                return { status: 401, body: { error_code: "APIGW.0301", error_msg: `signature: ${sig} ${sig.toUpperCase()} token: ${String(r.headers["x-auth-token"])}` } };
              case "reset":
                return { destroy: true };
              case "hang":
                return { hang: true };
              default:
                return { status: 200 };
            }
          });
          const recorder = recordingFetch(mode === "fetch-error");
          const credentials = useToken ? { token } : { accessKey: ak, secretKey: sk, securityToken: sts };
          const c = createBackgroundTasksClient({
            endpoint: mode === "refused" ? refusedUrl : server.url,
            projectId: PROJECT,
            credentials,
            retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
            timeoutMs: mode === "hang" ? 100 : 5000,
            fetch: recorder.fetch,
          });
          const err = await c.listBackgroundTasks({ instanceId: INSTANCE }).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(Error);
          if (NETWORK_MODES.includes(mode)) expect(err).toBeInstanceOf(DmsNetworkError);
          else expect(err).toBeInstanceOf(DmsApiError);
          if (mode === "refused") expect((err as Error).message).toMatch(/ECONNREFUSED/);
          const text = everythingIn(err);
          expect(recorder.sent.length).toBeGreaterThan(0);
          expectNoCredential(text, [...(useToken ? [token] : [sk, sts]), ...recorder.sent], recorder.signatures);
          // The echo really reached the client (the test could fail).
          if (SURE_ECHO_MODES.includes(mode)) expect(text).toContain("[REDACTED]");
          if (mode === "echo-json" && !useToken) expect(text).toContain(ak);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("validation errors never echo a value (a secret pasted in the wrong field)", () => {
    const secret = "S3CRET-value-that-must-not-leak";
    const attempts: (() => unknown)[] = [
      () => createBackgroundTasksClient({ endpoint: server.url, projectId: secret + "!", credentials: { token: TOKEN } }),
      () => createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials: { token: secret + " x" } }),
      () => createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials: { token: "Zq9#Xw" } }),
      () =>
        createBackgroundTasksClient({
          endpoint: server.url,
          projectId: PROJECT,
          credentials: { accessKey: secret, secretKey: "", token: secret },
        } as never),
      () => createBackgroundTasksClient({ endpoint: `https://${secret}:x@example.com`, projectId: PROJECT, credentials: { token: TOKEN } }),
      () => createBackgroundTasksClient({ endpoint: `http://${secret}.example.com`, projectId: PROJECT, credentials: { token: TOKEN } }),
      () => client().paginateBackgroundTasks({ instanceId: secret + "/" }),
    ];
    for (const run of attempts) {
      let thrown: unknown;
      try {
        run();
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(DmsValidationError);
      expect(everythingIn(thrown)).not.toContain(secret);
      expect(everythingIn(thrown)).not.toContain("Zq9#Xw");
    }
  });
});
