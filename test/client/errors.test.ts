/** Error mapping of every body variant, and the guarantee that no credential is ever thrown. */
import fc from "fast-check";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createBackgroundTasksClient,
  DmsApiError,
  DmsNetworkError,
  DmsValidationError,
  parseTaskParams,
} from "../../src/index.js";
import { makeRedactor } from "../../src/errors.js";
import { startServer, type Reply, type TestServer } from "./server.js";

const PROJECT = "proj_1";
const INSTANCE = "inst-1";

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

function client(extra: Record<string, unknown> = {}) {
  return createBackgroundTasksClient({
    endpoint: server.url,
    projectId: PROJECT,
    credentials: { token: "tok" },
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
  it("removes secrets, their JSON-escaped forms and signatures", () => {
    const r = makeRedactor(['se"cr\\et', undefined, "tok"]);
    expect(r('x se"cr\\et y')).toBe("x [REDACTED] y");
    expect(r(JSON.stringify({ a: 'se"cr\\et' }))).toBe('{"a":"[REDACTED]"}');
    expect(r("tok tok")).toBe("[REDACTED] [REDACTED]");
    expect(r("Signature=" + "ab12".repeat(16))).toBe("Signature=[REDACTED]");
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
    out += key === "cause" ? everythingIn(v, depth + 1) : `${String(v)}\n`;
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

/** Server replies that echo every request header back, in each body shape, or fail otherwise. */
const echoModes = ["echo-json", "echo-text", "echo-unknown", "echo-200", "reset", "hang", "refused"] as const;
type Mode = (typeof echoModes)[number];

describe("no credential ever appears in an error", () => {
  it("property: random secrets x failure modes x credential kinds", async () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9+/=_-]{16,48}$/);
    await fc.assert(
      fc.asyncProperty(
        fc.record({ ak: secret, sk: secret, sts: fc.option(secret, { nil: undefined }), token: secret }),
        fc.constantFrom(...echoModes),
        fc.boolean(),
        async ({ ak, sk, sts, token }, mode: Mode, useToken) => {
          server.requests.length = 0;
          server.setHandler((r) => {
            const dump = JSON.stringify(r.headers);
            switch (mode) {
              case "echo-json":
                return { status: 400, body: { error_code: dump, error_msg: dump, request_id: dump, encoded_authorization_message: dump } };
              case "echo-text":
                return { status: 503, body: `headers were ${dump} and ${String(r.headers.authorization)}` };
              case "echo-unknown":
                return { status: 400, body: { whatever: r.headers } };
              case "echo-200":
                return { status: 200, body: { task_count: "x", tasks: [], echo: r.headers } };
              case "reset":
                return { destroy: true };
              case "hang":
                return { hang: true };
              default:
                return { status: 200 };
            }
          });
          const credentials = useToken ? { token } : { accessKey: ak, secretKey: sk, securityToken: sts };
          const c = createBackgroundTasksClient({
            endpoint: mode === "refused" ? "http://127.0.0.1:1" : server.url,
            projectId: PROJECT,
            credentials,
            retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
            timeoutMs: mode === "hang" ? 100 : 5000,
          });
          const err = await c.listBackgroundTasks({ instanceId: INSTANCE }).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(Error);
          if (mode === "reset" || mode === "hang" || mode === "refused") expect(err).toBeInstanceOf(DmsNetworkError);
          else expect(err).toBeInstanceOf(DmsApiError);
          const text = everythingIn(err);
          const sent = server.requests.map((r) => [r.headers.authorization, r.headers["x-auth-token"]]).flat();
          for (const s of [sk, useToken ? token : undefined, sts, ...sent]) {
            if (s) expect(text).not.toContain(s);
          }
          // The echo really reached the client (the test could fail): the access key is not secret.
          if (mode === "echo-json" && !useToken) expect(text).toContain(ak);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("validation errors never echo a value (a secret pasted in the wrong field)", () => {
    const secret = "S3CRET-value-that-must-not-leak";
    const attempts: (() => unknown)[] = [
      () => createBackgroundTasksClient({ endpoint: server.url, projectId: secret + "!", credentials: { token: "t" } }),
      () => createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials: { token: secret + " x" } }),
      () =>
        createBackgroundTasksClient({
          endpoint: server.url,
          projectId: PROJECT,
          credentials: { accessKey: secret, secretKey: "", token: secret },
        } as never),
      () => createBackgroundTasksClient({ endpoint: `https://${secret}:x@example.com`, projectId: PROJECT, credentials: { token: "t" } }),
      () => createBackgroundTasksClient({ endpoint: `http://${secret}.example.com`, projectId: PROJECT, credentials: { token: "t" } }),
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
    }
  });
});
