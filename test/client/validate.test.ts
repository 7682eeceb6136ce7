/**
 * Input checks: bad input is a DmsValidationError naming the argument, and nothing is sent.
 * Property tests throw arbitrary values at every argument; whatever the wrapper accepts must be
 * accepted by the spec's own parameter schemas (checked with Ajv on what the server received).
 */
import fc from "fast-check";
import type { ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { createBackgroundTasksClient, DmsValidationError } from "../../src/index.js";
import { encodePathSegment } from "../../src/client.js";
import { loadBundle, schemaValidator, type OpenAPIV3 } from "../spec/load-bundle.js";
import { useTestServer } from "./server.js";

const PROJECT = "0123456789abcdef0123456789abcdef";
const INSTANCE = "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11";
const PATH_RE = /^\/v2\/([^/]*)\/instances\/([^/]*)\/tasks$/;
const TOKEN = "validate-test-token-0123456789";
const SK = "validate-test-secret-key-0123456789";

// The spec's own parameter schemas (the committed bundle, via the spec tests' Ajv helper).
const parameters = (await loadBundle()).components!.parameters as Record<string, OpenAPIV3.ParameterObject>;
const param = (name: string): ValidateFunction => schemaValidator(parameters[name]!.schema!);
const specAccepts = {
  project_id: param("ProjectId"),
  instance_id: param("InstanceId"),
  start: param("Start"),
  limit: param("Limit"),
  begin_time: param("BeginTime"),
  end_time: param("EndTime"),
};

const server = useTestServer();

function client(extra: Record<string, unknown> = {}) {
  return createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials: { token: TOKEN }, retry: false, ...extra });
}

async function rejected(args: unknown): Promise<DmsValidationError> {
  const err = await client()
    .listBackgroundTasks(args as never)
    .catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DmsValidationError);
  return err as DmsValidationError;
}

/** Every recorded request's path and query values are valid for the spec. */
function expectSpecAcceptsSent(): void {
  for (const r of server.requests) {
    const m = PATH_RE.exec(r.path);
    expect(m, r.path).not.toBeNull();
    expect(specAccepts.project_id(decodeURIComponent(m![1]!))).toBe(true);
    expect(specAccepts.instance_id(decodeURIComponent(m![2]!))).toBe(true);
    for (const [key, value] of r.query) {
      const check = specAccepts[key as keyof typeof specAccepts];
      expect(check, `unexpected query parameter ${key}`).toBeDefined();
      const typed = key === "start" || key === "limit" ? Number(value) : value;
      expect(check!(typed), `${key}=${value}`).toBe(true);
    }
  }
}

describe("listBackgroundTasks arguments", () => {
  it("the spec validators used below are live (the spec is looser on Feb 29, stricter elsewhere)", () => {
    expect(specAccepts.start(0)).toBe(false);
    expect(specAccepts.limit(101)).toBe(false);
    expect(specAccepts.instance_id("a/b")).toBe(false);
    expect(specAccepts.begin_time("20231301000000")).toBe(false);
    expect(specAccepts.begin_time("20230229000000")).toBe(true);
    expect(specAccepts.end_time("20240229235959")).toBe(true);
  });

  it.each([
    ["instanceId", { instanceId: "" }],
    ["instanceId", { instanceId: "a".repeat(65) }],
    ["instanceId", { instanceId: "../other" }],
    ["instanceId", { instanceId: "a/b" }],
    ["instanceId", { instanceId: "a b" }],
    ["instanceId", { instanceId: "é" }],
    ["instanceId", { instanceId: 42 }],
    ["instanceId", {}],
    ["start", { instanceId: INSTANCE, start: 0 }],
    ["start", { instanceId: INSTANCE, start: 2147483648 }],
    ["start", { instanceId: INSTANCE, start: 1.5 }],
    ["start", { instanceId: INSTANCE, start: "1" }],
    ["start", { instanceId: INSTANCE, start: NaN }],
    ["limit", { instanceId: INSTANCE, limit: 0 }],
    ["limit", { instanceId: INSTANCE, limit: 101 }],
    ["limit", { instanceId: INSTANCE, limit: Infinity }],
    ["beginTime", { instanceId: INSTANCE, beginTime: new Date(NaN) }],
    ["beginTime", { instanceId: INSTANCE, beginTime: "20230229000000" }],
    ["beginTime", { instanceId: INSTANCE, beginTime: 1700000000000 }],
    ["endTime", { instanceId: INSTANCE, endTime: "2024-01-01" }],
    ["beginTime", { instanceId: INSTANCE, beginTime: "20240102000000", endTime: new Date(Date.UTC(2024, 0, 1)) }],
    ["signal", { instanceId: INSTANCE, signal: {} }],
    ["options.begin_time", { instanceId: INSTANCE, begin_time: "20240101000000" }],
    ["options", null],
    ["options", "inst"],
  ])("rejects %s in %j, sending nothing", async (argument, args) => {
    const e = await rejected(args);
    expect(e.argument).toBe(argument);
    expect(e.message).toContain(argument);
    expect(server.requests).toHaveLength(0);
  });

  it("accepts the boundaries", async () => {
    const c = client();
    await c.listBackgroundTasks({ instanceId: "a".repeat(64), start: 2147483647, limit: 1 });
    await c.listBackgroundTasks({ instanceId: "_", start: 1, limit: 100, beginTime: "20240101000000", endTime: "20240101000000" });
    expect(server.requests).toHaveLength(2);
    expectSpecAcceptsSent();
  });

  it("property: any arguments are either sent (and valid for the spec) or a DmsValidationError with nothing sent", async () => {
    const anything = fc.oneof(
      fc.constant(undefined),
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.date(),
      fc.stringMatching(/^\d{14}$/),
      fc.stringMatching(/^[A-Za-z0-9_-]{0,70}$/),
      fc.integer({ min: -5, max: 120 }),
      fc.anything(),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          { instanceId: anything, start: anything, limit: anything, beginTime: anything, endTime: anything },
          { requiredKeys: [] },
        ),
        async (args) => {
          server.requests.length = 0;
          let err: unknown;
          try {
            await client().listBackgroundTasks(args as never);
          } catch (e) {
            err = e;
          }
          if (err === undefined) {
            expect(server.requests).toHaveLength(1);
            expectSpecAcceptsSent();
          } else {
            expect(err).toBeInstanceOf(DmsValidationError);
            expect(server.requests).toHaveLength(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("path encoding", () => {
  it("property: ids that get through never change the path structure", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: "binary" }), fc.stringMatching(/^[A-Za-z0-9_./%?#-]{1,8}$/)), async (id) => {
        server.requests.length = 0;
        const ok = await client()
          .listBackgroundTasks({ instanceId: id })
          .then(
            () => true,
            (e: unknown) => {
              expect(e).toBeInstanceOf(DmsValidationError);
              return false;
            },
          );
        if (!ok) {
          expect(server.requests).toHaveLength(0);
          return;
        }
        const m = PATH_RE.exec(server.requests[0]!.path);
        expect(m).not.toBeNull();
        expect(decodeURIComponent(m![2]!)).toBe(id);
      }),
      { numRuns: 200 },
    );
  });

  it("property: the encoder alone keeps any segment in its place (URL parsing included)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "binary-ascii" }), (a, b) => {
        for (const v of [a, b]) if (v === "" || v === "." || v === "..") return;
        const url = new URL(`https://h/base/v2/${encodePathSegment("p", a)}/instances/${encodePathSegment("i", b)}/tasks`);
        expect(url.search).toBe("");
        expect(url.hash).toBe("");
        const parts = url.pathname.split("/");
        expect(parts).toHaveLength(7);
        expect([parts[1], parts[2], parts[4], parts[6]]).toEqual(["base", "v2", "instances", "tasks"]);
        expect(decodeURIComponent(parts[3]!)).toBe(a);
        expect(decodeURIComponent(parts[5]!)).toBe(b);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("createBackgroundTasksClient options", () => {
  const base = { endpoint: "https://dms.example.com", projectId: PROJECT, credentials: { token: TOKEN } };
  const sixteen = "0123456789abcdef";

  it.each([
    ["options", null],
    ["options.regoin", { ...base, regoin: "cn-north-4" }],
    ["projectId", { ...base, projectId: "" }],
    ["projectId", { ...base, projectId: "p/q" }],
    ["projectId", { ...base, projectId: undefined }],
    ["credentials", { ...base, credentials: undefined }],
    ["credentials", { ...base, credentials: {} }],
    ["credentials", { ...base, credentials: { token: "t", accessKey: "a", secretKey: "s" } }],
    ["credentials.token", { ...base, credentials: { token: "" } }],
    ["credentials.token", { ...base, credentials: { token: "a\nb" } }],
    ["credentials.token", { ...base, credentials: { token: 5 } }],
    ["credentials.secretKey", { ...base, credentials: { accessKey: "a" } }],
    ["credentials.accessKey", { ...base, credentials: { secretKey: "s" } }],
    ["credentials.secretKey", { ...base, credentials: { accessKey: "a", secretKey: "" } }],
    ["credentials.securityToken", { ...base, credentials: { accessKey: "a", secretKey: SK, securityToken: "" } }],
    ["credentials.sessionToken", { ...base, credentials: { accessKey: "a", secretKey: SK, sessionToken: "x" } }],
    // Secrets shorter than 16 characters could not be redacted from error messages (validate.ts).
    ["credentials.token", { ...base, credentials: { token: "any" } }],
    ["credentials.token", { ...base, credentials: { token: sixteen.slice(1) } }],
    ["credentials.secretKey", { ...base, credentials: { accessKey: "a", secretKey: sixteen.slice(1) } }],
    ["credentials.securityToken", { ...base, credentials: { accessKey: "a", secretKey: SK, securityToken: sixteen.slice(1) } }],
    ["timeoutMs", { ...base, timeoutMs: 0 }],
    ["timeoutMs", { ...base, timeoutMs: -1 }],
    ["timeoutMs", { ...base, timeoutMs: Infinity }],
    ["timeoutMs", { ...base, timeoutMs: 2 ** 31 }],
    ["timeoutMs", { ...base, timeoutMs: "100" }],
    ["retry.maxAttempts", { ...base, retry: { maxAttempts: 0 } }],
    ["retry", { ...base, retry: true }],
    ["fetch", { ...base, fetch: "fetch" }],
    ["now", { ...base, now: Date.now() }],
    ["region", { ...base, endpoint: undefined }],
    ["endpoint", { ...base, endpoint: "http://example.com" }],
  ])("rejects %s", (argument, options) => {
    expect(() => createBackgroundTasksClient(options as never)).toThrow(expect.objectContaining({ argument }));
  });

  it("accepts both credential kinds and optional settings", () => {
    expect(() => createBackgroundTasksClient({ ...base, credentials: { accessKey: "a", secretKey: SK, securityToken: TOKEN } })).not.toThrow();
    expect(() =>
      createBackgroundTasksClient({ region: "cn-north-4", projectId: PROJECT, credentials: { token: TOKEN }, timeoutMs: 1, retry: false, now: () => new Date(), fetch }),
    ).not.toThrow();
  });

  it("accepts secrets of exactly 16 characters (and an access key of any length)", () => {
    expect(() => createBackgroundTasksClient({ ...base, credentials: { token: sixteen } })).not.toThrow();
    expect(() =>
      createBackgroundTasksClient({ ...base, credentials: { accessKey: "a", secretKey: sixteen, securityToken: sixteen } }),
    ).not.toThrow();
  });

  it("property: any options give a client or a DmsValidationError, never another error", () => {
    const v = fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(undefined));
    fc.assert(
      fc.property(
        fc.record(
          {
            region: fc.oneof(v, fc.constantFrom("cn-north-4", "eu-west-101")),
            endpoint: fc.oneof(v, fc.webUrl(), fc.constantFrom("http://127.0.0.1:1", "http://example.com")),
            projectId: fc.oneof(v, fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/)),
            credentials: fc.oneof(
              v,
              fc.record({ token: v }, { requiredKeys: [] }),
              fc.record({ accessKey: v, secretKey: v, securityToken: v }, { requiredKeys: [] }),
            ),
            timeoutMs: v,
            retry: fc.oneof(v, fc.record({ maxAttempts: v, baseDelayMs: v, maxDelayMs: v }, { requiredKeys: [] })),
            now: v,
            fetch: v,
          },
          { requiredKeys: [] },
        ),
        (options) => {
          try {
            const c = createBackgroundTasksClient(options as never);
            expect(typeof c.listBackgroundTasks).toBe("function");
          } catch (e) {
            expect(e).toBeInstanceOf(DmsValidationError);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
