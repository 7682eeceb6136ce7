/**
 * Differential check of what the client really sends: every request of every method, as a real
 * local server received it, is signed again by the official SDK's AKSKSigner from the received
 * method, decoded path, query and signed headers; the Authorization must be identical.
 */
import { describe, expect, it } from "vitest";
import { createBackgroundTasksClient, type BackgroundTasksClient } from "../../src/index.js";
import { type RecordedRequest, task, useTestServer } from "../client/server.js";
import { AK, FIXED, PROJECT, SK, STS } from "../client/fixtures.js";
import { officialAuthorization, toOfficialHeaders } from "./official-signer.js";

const INSTANCE = "inst-1234";
const TASK = "ff80808272dcc90f0172df1e490f41b0";
const ids = { instanceId: INSTANCE, taskId: TASK };

const server = useTestServer((r) => {
  if (r.method === "DELETE") return { status: 204 };
  if (r.path.endsWith("/progress")) return { status: 200, body: { progress_percentage: 40, remain_time: 1124, step_list: [] } };
  return { status: 200, body: { task_count: "1", tasks: [task(TASK)] } };
});

/** The official signer's Authorization for the request as received. */
function officialFor(r: RecordedRequest, secretKey: string): string {
  const signed = /SignedHeaders=([^,]+),/.exec(String(r.headers.authorization))?.[1];
  if (!signed) throw new Error("no SignedHeaders");
  const headers: Record<string, string> = {};
  for (const name of signed.split(";")) headers[name] = String(r.headers[name]);
  const queryParams: Record<string, string[]> = {};
  for (const [k, v] of r.query) (queryParams[k] ??= []).push(v);
  return officialAuthorization(
    {
      method: r.method,
      endpoint: `http://${r.headers.host}`,
      path: decodeURIComponent(r.path),
      queryParams,
      headers: toOfficialHeaders(headers),
    },
    { accessKey: AK, secretKey },
  );
}

const calls: [string, (c: BackgroundTasksClient) => Promise<unknown>, string, string][] = [
  ["getBackgroundTask", (c) => c.getBackgroundTask(ids), "GET", `/tasks/${TASK}`],
  ["getBackgroundTaskProgress", (c) => c.getBackgroundTaskProgress(ids), "GET", `/tasks/${TASK}/progress`],
  ["deleteBackgroundTask", (c) => c.deleteBackgroundTask(ids), "DELETE", `/tasks/${TASK}`],
  ["waitForBackgroundTask", (c) => c.waitForBackgroundTask(ids), "GET", `/tasks/${TASK}`],
  ["listBackgroundTasks", (c) => c.listBackgroundTasks({ instanceId: INSTANCE, start: 1, limit: 10, beginTime: "20200623000000" }), "GET", "/tasks"],
];

describe("differential: the official AKSKSigner agrees with every request the client sends", () => {
  it.each(calls)("%s", async (_, run, method, suffix) => {
    for (const securityToken of [undefined, STS]) {
      server.requests.length = 0;
      const credentials = securityToken === undefined ? { accessKey: AK, secretKey: SK } : { accessKey: AK, secretKey: SK, securityToken };
      await run(createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials, now: () => FIXED }));
      expect(server.requests).toHaveLength(1);
      const r = server.requests[0]!;
      expect(r.method).toBe(method);
      expect(r.path).toBe(`/v2/${PROJECT}/instances/${INSTANCE}${suffix}`);
      expect(r.headers["x-sdk-date"]).toBe("20240229T123456Z");
      expect(String(r.headers.authorization)).toContain(securityToken ? "x-security-token" : "x-sdk-date,");
      expect(r.headers.authorization).toBe(officialFor(r, SK));
      expect(officialFor(r, SK + "x")).not.toBe(r.headers.authorization); // the comparison can fail
    }
  });
});
