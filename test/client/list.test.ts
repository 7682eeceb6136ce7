/** listBackgroundTasks against a real local server: request shape, response shape, endpoint rules. */
import { describe, expect, it } from "vitest";
import { createBackgroundTasksClient, DmsApiError, DmsValidationError, INVALID_RESPONSE } from "../../src/index.js";
import { encodePathSegment } from "../../src/client.js";
import { endpointBaseUrl, isLoopbackHost, regionBaseUrl, resolveBaseUrl } from "../../src/endpoint.js";
import { OK_EMPTY, startServer, task, useTestServer } from "./server.js";

const PROJECT = "0123456789abcdef0123456789abcdef";
const INSTANCE = "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11";
const TOKEN = { token: "test-token-value" };

const server = useTestServer(() => OK_EMPTY);

function client(extra: Record<string, unknown> = {}) {
  return createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials: TOKEN, ...extra });
}

describe("request shape", () => {
  it("sends GET /v2/{project_id}/instances/{instance_id}/tasks with all query parameters in order", async () => {
    await client().listBackgroundTasks({
      instanceId: INSTANCE,
      start: 11,
      limit: 100,
      beginTime: new Date(Date.UTC(2020, 5, 23, 3, 0, 3, 471)),
      endTime: "20200624000000",
    });
    expect(server.requests).toHaveLength(1);
    const r = server.requests[0]!;
    expect(r.method).toBe("GET");
    expect(r.path).toBe(`/v2/${PROJECT}/instances/${INSTANCE}/tasks`);
    expect(r.search).toBe("start=11&limit=100&begin_time=20200623030003&end_time=20200624000000");
    expect(r.headers.accept).toBe("application/json");
    expect(r.headers["content-type"]).toBeUndefined();
  });

  it("omits absent parameters (no query string at all when none is given)", async () => {
    await client().listBackgroundTasks({ instanceId: INSTANCE });
    await client().listBackgroundTasks({ instanceId: INSTANCE, limit: 5 });
    expect(server.requests.map((r) => r.url)).toEqual([
      `/v2/${PROJECT}/instances/${INSTANCE}/tasks`,
      `/v2/${PROJECT}/instances/${INSTANCE}/tasks?limit=5`,
    ]);
  });

  it("converts a Date in any time zone offset to UTC", async () => {
    // 2020-06-23T23:30:00+08:00 is 15:30 UTC the same day.
    await client().listBackgroundTasks({ instanceId: INSTANCE, beginTime: new Date("2020-06-23T23:30:00+08:00") });
    expect(server.requests[0]!.query.get("begin_time")).toBe("20200623153000");
  });

  it("refuses an endpoint with a base path (it would only yield 404s for /v2/v2/...)", () => {
    expect(() => client({ endpoint: server.url + "/proxy/dms/" })).toThrow(expect.objectContaining({ argument: "endpoint" }));
  });

  it("reuses one client for many calls (no per-call setup leaks between calls)", async () => {
    const c = client();
    await Promise.all([1, 2, 3].map((start) => c.listBackgroundTasks({ instanceId: INSTANCE, start })));
    expect(server.requests.map((r) => r.query.get("start")).sort()).toEqual(["1", "2", "3"]);
  });

  it("does not follow a redirect (credentials must not travel to another location)", async () => {
    const other = await startServer();
    try {
      server.setHandler(() => ({ status: 302, headers: { Location: other.url + "/elsewhere" } }));
      const err = await client().listBackgroundTasks({ instanceId: INSTANCE }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DmsApiError);
      expect((err as DmsApiError).status).toBe(302);
      expect(other.requests).toHaveLength(0);
    } finally {
      await other.close();
    }
  });
});

describe("response", () => {
  const page = {
    task_count: "1",
    tasks: [
      task("ff80808272dcc90f0172df1e490f41b0", {
        name: "bindInstancePublicIp",
        user_name: "dms_test",
        params: '{"enable_public_ip":true}',
        updated_at: "2020-06-23T03:00:08.130Z",
        unknown_new_field: "kept",
      }),
    ],
  };

  it("returns the wire shape unchanged", async () => {
    server.setHandler(() => ({ status: 200, body: page }));
    await expect(client().listBackgroundTasks({ instanceId: INSTANCE })).resolves.toEqual(page);
  });

  it("accepts a task with only an id (every other field is optional in the spec)", async () => {
    const body = { task_count: "2", tasks: [{ id: "only-id" }, { id: "b", name: "n" }] };
    server.setHandler(() => ({ status: 200, body }));
    await expect(client().listBackgroundTasks({ instanceId: INSTANCE })).resolves.toEqual(body);
  });

  it("accepts an unknown task status (the list is open)", async () => {
    const body = { task_count: "1", tasks: [task("a", { status: "SOMETHING_NEW" })] };
    server.setHandler(() => ({ status: 200, body }));
    await expect(client().listBackgroundTasks({ instanceId: INSTANCE })).resolves.toEqual(body);
  });

  const invalid: [string, unknown, RegExp][] = [
    ["a non-JSON body", "<html>oops</html>", /not JSON/],
    ["an empty body", "", /empty/],
    ["a JSON array", [], /not a JSON object/],
    ["task_count as a number", { task_count: 1, tasks: [] }, /task_count/],
    ["task_count not digits", { task_count: "-1", tasks: [] }, /task_count/],
    ["missing tasks", { task_count: "0" }, /tasks array/],
    ["tasks not an array", { task_count: "0", tasks: {} }, /tasks array/],
    ["a task that is null", { task_count: "1", tasks: [null] }, /tasks\[0\]/],
    ["a numeric task id", { task_count: "1", tasks: [{ id: 1, name: "n", status: "S" }] }, /tasks\[0\]\.id/],
    ["an empty task id", { task_count: "1", tasks: [{ id: "", name: "n", status: "S" }] }, /tasks\[0\]\.id/],
    ["a task without id", { task_count: "1", tasks: [{ name: "n", status: "S" }] }, /tasks\[0\]\.id/],
    ["a numeric task status", { task_count: "2", tasks: [task("a"), { id: "b", status: 3 }] }, /tasks\[1\]\.status/],
    ["a null params", { task_count: "1", tasks: [task("a", { params: null as unknown as string })] }, /tasks\[0\]\.params/],
    ["an object created_at", { task_count: "1", tasks: [{ id: "a", created_at: {} }] }, /tasks\[0\]\.created_at/],
  ];
  it.each(invalid)("a 200 with %s is a DmsApiError InvalidResponse, never a silent value", async (_, body, re) => {
    server.setHandler(() => ({ status: 200, body, headers: { "X-Request-Id": "req-200" } }));
    const err = await client().listBackgroundTasks({ instanceId: INSTANCE }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmsApiError);
    const e = err as DmsApiError;
    expect(e.status).toBe(200);
    expect(e.errorCode).toBe(INVALID_RESPONSE);
    expect(e.errorMsg).toMatch(re);
    expect(e.requestId).toBe("req-200");
    expect(server.requests).toHaveLength(1); // not retried
  });
});

describe("endpoint and region", () => {
  it("maps regions to DMS hosts, with the eu-west-101 exception", () => {
    expect(regionBaseUrl("cn-north-4")).toBe("https://dms.cn-north-4.myhuaweicloud.com");
    expect(regionBaseUrl("ap-southeast-1")).toBe("https://dms.ap-southeast-1.myhuaweicloud.com");
    expect(regionBaseUrl("eu-west-101")).toBe("https://dms.eu-west-101.myhuaweicloud.eu");
    expect(resolveBaseUrl({ region: "cn-north-4", endpoint: "https://example.com/" })).toBe("https://example.com");
  });

  it.each(["", "cn_north_4", "CN-NORTH-4", "cn-north", "north-4", "cn-north-4.evil.com", "cn-north-4/", "x".repeat(80)])(
    "rejects the region %j",
    (region) => {
      expect(() => regionBaseUrl(region)).toThrow(DmsValidationError);
      expect(() => client({ endpoint: undefined, region })).toThrow(/region/);
    },
  );

  it("needs a region or an endpoint", () => {
    expect(() => client({ endpoint: undefined })).toThrow(DmsValidationError);
  });

  it.each(["http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:1", "http://[::1]:9", "https://dms.example.com"])(
    "accepts the endpoint %s",
    (endpoint) => {
      expect(() => endpointBaseUrl(endpoint)).not.toThrow();
      expect(() => client({ endpoint })).not.toThrow();
    },
  );

  it.each([
    "http://dms.cn-north-4.myhuaweicloud.com",
    "http://10.0.0.1",
    "http://128.0.0.1",
    "http://127.0.0.1.evil.com",
    "http://localhost.evil.com",
    "http://[::2]",
    "ftp://127.0.0.1",
    "https://user:pass@dms.example.com",
    "https://dms.example.com/?x=1",
    "https://dms.example.com/#f",
    "not a url",
    "",
  ])("refuses the endpoint %s at client creation", (endpoint) => {
    expect(() => client({ endpoint })).toThrow(DmsValidationError);
  });

  it("says why plain http is refused", () => {
    expect(() => client({ endpoint: "http://dms.example.com" })).toThrow(/clear text/);
  });

  it("recognises loopback hosts only", () => {
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("127.255.255.254")).toBe(true);
    expect(isLoopbackHost("LOCALHOST")).toBe(true);
    expect(isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("126.0.0.1")).toBe(false);
    expect(isLoopbackHost("[::ffff:7f00:1]")).toBe(false);
    expect(isLoopbackHost("example.com")).toBe(false);
  });
});

describe("path segment encoder", () => {
  it("keeps unreserved characters and escapes everything else", () => {
    expect(encodePathSegment("id", "Ab0-_")).toBe("Ab0-_");
    expect(encodePathSegment("id", "a/b?c#d%e")).toBe("a%2Fb%3Fc%23d%25e");
    expect(encodePathSegment("id", "!'()*")).toBe("%21%27%28%29%2A");
    expect(encodePathSegment("id", "..a")).toBe("..a");
  });
  it.each(["", ".", ".."])("refuses the dot or empty segment %j", (v) => {
    expect(() => encodePathSegment("id", v)).toThrow(DmsValidationError);
  });
  it("refuses a non-string or malformed Unicode", () => {
    expect(() => encodePathSegment("id", undefined)).toThrow(DmsValidationError);
    expect(() => encodePathSegment("id", "\ud800")).toThrow(DmsValidationError);
  });
});
