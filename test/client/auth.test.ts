/**
 * Authentication headers as received by a real server. For AK/SK the server recomputes the
 * signature with the signer from exactly what arrived (method, target, Host, signed headers).
 */
import { describe, expect, it } from "vitest";
import { createBackgroundTasksClient } from "../../src/index.js";
import { formatSdkDate, signRequest } from "../../src/auth/signer.js";
import { type RecordedRequest, useTestServer } from "./server.js";

import { AK, FIXED, INSTANCE, PROJECT, SK, STS } from "./fixtures.js";

const server = useTestServer();

/** What the gateway does: rebuild the signature from the received request and compare. */
function verify(r: RecordedRequest, secretKey: string): { signedHeaders: string; valid: boolean; access: string } {
  const m = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
    String(r.headers.authorization),
  );
  if (!m) throw new Error("malformed Authorization");
  const names = m[2]!.split(";");
  const headers: Record<string, string> = {};
  for (const name of names) headers[name] = String(r.headers[name]);
  const url = new URL(r.url, `http://${r.headers.host}`);
  const expected = signRequest({ method: r.method, url, headers }, { accessKey: m[1]!, secretKey });
  return { signedHeaders: m[2]!, valid: expected === r.headers.authorization, access: m[1]! };
}

describe("token", () => {
  it("sends X-Auth-Token and X-Project-Id, and no AK/SK headers", async () => {
    const c = createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials: { token: "MIIT-token-0123456789" } });
    await c.listBackgroundTasks({ instanceId: INSTANCE });
    const h = server.requests[0]!.headers;
    expect(h["x-auth-token"]).toBe("MIIT-token-0123456789");
    expect(h["x-project-id"]).toBe(PROJECT);
    expect(h.authorization).toBeUndefined();
    expect(h["x-sdk-date"]).toBeUndefined();
  });
});

describe("AK/SK", () => {
  it("signs host, x-project-id and x-sdk-date; the server-side recomputation matches", async () => {
    const c = createBackgroundTasksClient({
      endpoint: server.url,
      projectId: PROJECT,
      credentials: { accessKey: AK, secretKey: SK },
      now: () => FIXED,
    });
    await c.listBackgroundTasks({ instanceId: INSTANCE, start: 1, limit: 100, beginTime: "20240101000000" });
    const r = server.requests[0]!;
    expect(r.headers["x-sdk-date"]).toBe("20240229T123456Z");
    expect(r.headers["x-sdk-date"]).toBe(formatSdkDate(FIXED));
    expect(r.headers["x-project-id"]).toBe(PROJECT);
    expect(r.headers["x-security-token"]).toBeUndefined();
    expect(r.headers["x-auth-token"]).toBeUndefined();
    const v = verify(r, SK);
    expect(v.access).toBe(AK);
    expect(v.signedHeaders).toBe("host;x-project-id;x-sdk-date");
    expect(v.valid).toBe(true);
    expect(verify(r, SK + "x").valid).toBe(false); // the check can fail
  });

  it("adds and signs X-Security-Token for temporary credentials", async () => {
    const c = createBackgroundTasksClient({
      endpoint: server.url,
      projectId: PROJECT,
      credentials: { accessKey: AK, secretKey: SK, securityToken: STS },
    });
    await c.listBackgroundTasks({ instanceId: INSTANCE });
    const r = server.requests[0]!;
    expect(r.headers["x-security-token"]).toBe(STS);
    const v = verify(r, SK);
    expect(v.signedHeaders).toBe("host;x-project-id;x-sdk-date;x-security-token");
    expect(v.valid).toBe(true);
  });

  it("signs the Host as sent, port included", async () => {
    const c = createBackgroundTasksClient({
      endpoint: server.url.replace("127.0.0.1", "localhost"),
      projectId: PROJECT,
      credentials: { accessKey: AK, secretKey: SK },
    });
    await c.listBackgroundTasks({ instanceId: INSTANCE, endTime: "20240101000000" });
    const r = server.requests[0]!;
    expect(r.headers.host).toMatch(/^localhost:\d+$/);
    expect(r.path).toBe(`/v2/${PROJECT}/instances/${INSTANCE}/tasks`);
    expect(verify(r, SK).valid).toBe(true);
  });

  it("uses the injected clock for every request", async () => {
    let t = Date.UTC(2030, 0, 1, 0, 0, 0);
    const c = createBackgroundTasksClient({
      endpoint: server.url,
      projectId: PROJECT,
      credentials: { accessKey: AK, secretKey: SK },
      now: () => new Date((t += 61_000)),
    });
    await c.listBackgroundTasks({ instanceId: INSTANCE });
    await c.listBackgroundTasks({ instanceId: INSTANCE });
    expect(server.requests.map((r) => r.headers["x-sdk-date"])).toEqual(["20300101T000101Z", "20300101T000202Z"]);
    for (const r of server.requests) expect(verify(r, SK).valid).toBe(true);
  });

  it("rejects a clock that returns an invalid Date, before sending", async () => {
    const c = createBackgroundTasksClient({
      endpoint: server.url,
      projectId: PROJECT,
      credentials: { accessKey: AK, secretKey: SK },
      now: () => new Date(NaN),
    });
    await expect(c.listBackgroundTasks({ instanceId: INSTANCE })).rejects.toMatchObject({
      name: "DmsValidationError",
      argument: "now",
    });
    expect(server.requests).toHaveLength(0);
  });
});
