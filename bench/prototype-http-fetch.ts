/**
 * Experiment behind a recommendation in bench/NOTES.md: our client with a `fetch` built on
 * node:http (the transport the official SDK's axios uses) instead of Node's undici fetch.
 *
 *   npx tsx bench/prototype-http-fetch.ts [rounds=20]
 *
 * The adapter is injected through the public `fetch` option, so nothing in src/ changes. It is a
 * prototype (GET without body, keep-alive agent, abort through request.signal, http: only), not
 * production code. Not part of `npm run bench`.
 */
import { Agent, request as httpRequest } from "node:http";
import { performance } from "node:perf_hooks";
import { BENCH_AK, BENCH_PROJECT_ID, BENCH_SK, REFERENCE_INSTANCE } from "./server.ts";
import { createOfficialClient, gcIfExposed, loadOfficial, loadOurs, rotate, startServerProcess } from "./common.ts";
import { pairedRatios, summarize } from "./stats.ts";

const agent = new Agent({ keepAlive: true });

export function nodeHttpFetch(request: Request): Promise<Response> {
  return new Promise((resolve, reject) => {
    const signal = request.signal;
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const onAbort = (): void => {
      req.destroy(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    };
    const req = httpRequest(request.url, { method: request.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        signal.removeEventListener("abort", onAbort);
        const h = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) h.set(name, Array.isArray(value) ? value.join(", ") : value);
        }
        const buf = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const body = new Uint8Array(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength);
        resolve(new Response(body, { status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", headers: h }));
      });
    });
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    req.on("error", (e) => {
      signal.removeEventListener("abort", onAbort);
      reject(e);
    });
    req.end();
  });
}

const rounds = Number(process.argv[2] ?? 20);
const server = await startServerProcess();
try {
  const url = server.url;
  const href = `${url}/v2/${BENCH_PROJECT_ID}/instances/${REFERENCE_INSTANCE}/tasks?start=1&limit=10`;
  const ours = await loadOurs();
  const options = { endpoint: url, projectId: BENCH_PROJECT_ID, credentials: { accessKey: BENCH_AK, secretKey: BENCH_SK } };
  const viaFetch = ours.createBackgroundTasksClient(options);
  const viaHttp = ours.createBackgroundTasksClient({ ...options, fetch: nodeHttpFetch });
  const official = createOfficialClient(url);
  const { kafka } = loadOfficial();
  const args = { instanceId: REFERENCE_INSTANCE, start: 1, limit: 10 };
  const variants: Record<string, () => Promise<unknown>> = {
    fetch: async () => (await fetch(href, { headers: { accept: "application/json" } })).json(),
    ours: () => viaFetch.listBackgroundTasks(args),
    "ours + node:http fetch": () => viaHttp.listBackgroundTasks(args),
    official: () =>
      official.listBackgroundTasks(new kafka.ListBackgroundTasksRequest().withInstanceId(REFERENCE_INSTANCE).withStart(1).withLimit(10)),
  };
  const names = Object.keys(variants);
  for (const n of names) {
    const page = (await variants[n]!()) as { tasks?: { id: string }[] };
    if (page.tasks?.[0]?.id !== "ff80808272dcc90f0172df1e490f41b0") throw new Error(`${n}: bad page`);
    for (let i = 0; i < 500; i++) await variants[n]!();
  }
  const wall: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const perRound = 200;
  for (let r = 0; r < rounds; r++) {
    for (const n of rotate(names, r)) {
      gcIfExposed();
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) await variants[n]!();
      wall[n]!.push(((performance.now() - t0) * 1000) / perRound);
    }
  }
  console.log(`µs/call, median of ${rounds} interleaved rounds × ${perRound} calls; ratios of per-round pairs`);
  for (const n of names) {
    const ratio = (ref: string): string => summarize(pairedRatios(wall[n]!, wall[ref]!)).median.toFixed(2);
    console.log(`${n.padEnd(24)} ${summarize(wall[n]!).median.toFixed(0).padStart(6)} µs   / fetch ${ratio("fetch")}   / official ${ratio("official")}`);
  }
} finally {
  await server.stop();
}
