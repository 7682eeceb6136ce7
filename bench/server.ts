/**
 * The one local server every benchmark talks to: node:http on 127.0.0.1, keep-alive on.
 *
 *   GET /v2/{project_id}/instances/{REFERENCE_INSTANCE}/tasks   the seed's example page, verbatim
 *                                                               (from generated/openapi.json)
 *   GET /v2/{project_id}/instances/tasks-{N}/tasks?start&limit  a page of a dataset of N tasks,
 *                                                               generated on the fly (nothing kept)
 *   GET /__bench/stats           request counters (JSON)
 *   GET /__bench/verify?on=1|0   check every Authorization header against the AK/SK below
 *                                (used only in the correctness pre-flight, never while timing)
 *
 * Run in-process with `startServer()`, or as its own process (`node --import tsx bench/server.ts`),
 * which is what `bench/run.ts` does so the server's CPU time is not charged to the client under
 * test. In that mode it reports `{ port }` over IPC and exits when the parent disconnects.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { AddressInfo } from "node:net";
import { signRequest } from "../src/auth/signer.ts";

export const BENCH_AK = "BENCHACCESSKEY0000000";
export const BENCH_SK = "benchSecretKey0000000000000000000000000000";
export const BENCH_PROJECT_ID = "0123456789abcdef0123456789abcdef";
/** Instance id that returns the reference page (the seed's example). */
export const REFERENCE_INSTANCE = "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11";
/** Instance id of the generated dataset of `n` tasks. */
export const datasetInstance = (n: number): string => `tasks-${n}`;

const PATH_RE = /^\/v2\/([A-Za-z0-9_-]+)\/instances\/([A-Za-z0-9_-]+)\/tasks\/?$/;

function loadReferenceBody(): Buffer {
  const path = fileURLToPath(new URL("../generated/openapi.json", import.meta.url));
  const doc = JSON.parse(readFileSync(path, "utf8")) as {
    components: { examples: Record<string, { value: unknown }> };
  };
  const example = doc.components.examples["ListBackgroundTasksReferencePage"];
  if (!example) throw new Error("ListBackgroundTasksReferencePage example missing from generated/openapi.json");
  return Buffer.from(JSON.stringify(example.value));
}

const NAMES = [
  "bindInstancePublicIp",
  "unbindInstancePublicIp",
  "kafkaConfigModify",
  "kafkaResetConsumerOffset",
  "modifyAutoTopic",
  "changeRetentionPolicy",
  "kafkaAutoReassignment",
];
const STATUSES = ["SUCCESS", "SUCCESS", "SUCCESS", "FAILED", "EXECUTING", "CREATED"];
const BASE_TIME = Date.UTC(2020, 5, 23, 3, 0, 3, 471);

/** Task number `i` (1-based) of a dataset, as JSON text; deterministic, ~350 bytes like the seed's. */
export function taskJson(i: number): string {
  const hex = i.toString(16).padStart(8, "0");
  const created = new Date(BASE_TIME + i * 1000).toISOString();
  const updated = new Date(BASE_TIME + i * 1000 + 4659).toISOString();
  return (
    `{"id":"ff80808272dcc90f0172df1e${hex}","name":"${NAMES[i % NAMES.length]}",` +
    `"user_name":"dms_test","user_id":"xxxxxxxx93ff484a828144c6xxxxxxxx",` +
    `"params":"{\\"public_ip_id\\":\\"06a13350-4305-4338-9f0e-${hex}abcd\\",\\"enable_public_ip\\":true}",` +
    `"status":"${STATUSES[i % STATUSES.length]}","created_at":"${created}","updated_at":"${updated}"}`
  );
}

/** One page (1-based `start`, `limit` tasks) of a dataset of `n` tasks. */
export function datasetPage(n: number, start: number, limit: number): string {
  let body = `{"task_count":"${n}","tasks":[`;
  const end = Math.min(n, start + limit - 1);
  for (let i = start; i <= end; i++) body += (i === start ? "" : ",") + taskJson(i);
  return body + "]}";
}

function intParam(v: string | null, dflt: number): number {
  if (v === null || v === "") return dflt;
  const n = Number(v);
  return Number.isInteger(n) ? n : Number.NaN;
}

export async function startServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const reference = loadReferenceBody();
  // connections: TCP connections accepted (with keep-alive working, about one per client process).
  const stats = { connections: 0, requests: 0, signed: 0, verified: 0, rejected: 0 };
  let verify = false;
  let requestId = 0;

  const send = (res: ServerResponse, status: number, body: Buffer | string): void => {
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": typeof body === "string" ? Buffer.byteLength(body) : body.length,
      "x-request-id": `bench-${++requestId}`,
    });
    res.end(body);
  };

  const checkSignature = (req: IncomingMessage, url: URL): boolean => {
    const auth = req.headers.authorization;
    if (!auth) return true; // unsigned baselines (bare fetch) are allowed
    stats.signed++;
    const m = /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m || m[1] !== BENCH_AK) return false;
    const headers: Record<string, string> = {};
    for (const name of m[2]!.split(";")) {
      const v = req.headers[name];
      if (typeof v !== "string") return false;
      headers[name] = v;
    }
    const expected = signRequest({ method: req.method ?? "GET", url, headers }, { accessKey: BENCH_AK, secretKey: BENCH_SK });
    return expected === auth;
  };

  const server = createServer({ keepAlive: true, keepAliveInitialDelay: 0 }, (req, res) => {
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`);
    if (url.pathname.startsWith("/__bench/")) {
      if (url.pathname === "/__bench/verify") verify = url.searchParams.get("on") === "1";
      send(res, 200, JSON.stringify({ ...stats, verify }));
      return;
    }
    stats.requests++;
    const m = req.method === "GET" ? PATH_RE.exec(url.pathname) : null;
    if (!m) {
      send(res, 404, '{"error_code":"DMS.404","error_msg":"not found"}');
      return;
    }
    if (verify) {
      if (!checkSignature(req, url)) {
        stats.rejected++;
        send(res, 401, '{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information: verify aksk signature fail"}');
        return;
      }
      if (req.headers.authorization) stats.verified++;
    }
    const instance = m[2]!;
    if (instance.startsWith("tasks-")) {
      const n = Number(instance.slice(6));
      const start = intParam(url.searchParams.get("start"), 1);
      const limit = intParam(url.searchParams.get("limit"), 10);
      if (!Number.isInteger(n) || !(start >= 1) || !(limit >= 1 && limit <= 100)) {
        send(res, 400, '{"error_code":"DMS.00400002","error_msg":"Invalid request parameter"}');
        return;
      }
      send(res, 200, datasetPage(n, start, limit));
      return;
    }
    send(res, 200, reference);
  });
  server.on("connection", () => stats.connections++);
  // Idle connections stay open between rounds (undici and node's agent both reuse them).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

// Standalone: `node --import tsx bench/server.ts` (forked by run.ts; reports its port over IPC).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startServer();
  if (process.send) {
    process.send({ url: server.url });
    process.on("disconnect", () => void server.close().then(() => process.exit(0)));
  } else {
    console.log(`bench server on ${server.url}`);
  }
}
