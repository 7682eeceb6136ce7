/**
 * Figure 1: per-call latency of one `listBackgroundTasks` call (start=1, limit=10) against the
 * local server's reference page. Four variants, in one process, interleaved round by round:
 *
 *   ours          createBackgroundTasksClient(...).listBackgroundTasks()   (dist/index.js, AK/SK)
 *   official      KafkaClient.listBackgroundTasks(ListBackgroundTasksRequest)  (axios, AK/SK)
 *   fetch         bare fetch + res.json(), no signing: the floor
 *   fetch+signer  bare fetch + our signRequest(): the floor for a signed call
 *   node:http     bare http.get on node's keep-alive global agent + JSON.parse, no signing: the
 *                 transport the official SDK rides on (axios), for context
 *
 * Each call is awaited before the next (concurrency 1, one keep-alive connection per client).
 * A round runs `callsPerRound` calls of one variant; the value of a round is its mean µs/call.
 */
import { get as httpGet } from "node:http";
import { performance } from "node:perf_hooks";
import { formatSdkDate, signRequest } from "../src/auth/signer.ts";
import { BENCH_AK, BENCH_PROJECT_ID, BENCH_SK, REFERENCE_INSTANCE } from "./server.ts";
import { createOfficialClient, createOurClient, gcIfExposed, loadOfficial, rotate, runIfMain, serverControl } from "./common.ts";

export const LATENCY_VARIANTS = ["ours", "official", "fetch", "fetch+signer", "node:http"] as const;
export type LatencyVariant = (typeof LATENCY_VARIANTS)[number];

export interface LatencyConfig {
  url: string;
  warmupCalls: number;
  rounds: number;
  callsPerRound: number;
}

export interface LatencyResult {
  /** Per variant: the mean µs/call of each round, in round order (rounds are paired). */
  roundsUs: Record<LatencyVariant, number[]>;
  /** Per variant: the client process's CPU time (user + system) per call of each round, µs. */
  roundsCpuUs: Record<LatencyVariant, number[]>;
  /** Per variant: p50 and p99 of the individual calls (µs), over all rounds. */
  callP50Us: Record<LatencyVariant, number>;
  callP99Us: Record<LatencyVariant, number>;
  config: LatencyConfig;
}

type Call = () => Promise<unknown>;

const EXPECTED_ID = "ff80808272dcc90f0172df1e490f41b0";

async function makeCalls(url: string): Promise<Record<LatencyVariant, Call>> {
  const path = `/v2/${BENCH_PROJECT_ID}/instances/${REFERENCE_INSTANCE}/tasks`;
  const ours = await createOurClient(url);
  const official = createOfficialClient(url);
  const { kafka } = loadOfficial();
  const key = { accessKey: BENCH_AK, secretKey: BENCH_SK };
  const host = new URL(url).host;

  return {
    ours: () => ours.listBackgroundTasks({ instanceId: REFERENCE_INSTANCE, start: 1, limit: 10 }),
    official: () =>
      official.listBackgroundTasks(
        new kafka.ListBackgroundTasksRequest().withInstanceId(REFERENCE_INSTANCE).withStart(1).withLimit(10),
      ),
    fetch: async () => {
      const res = await fetch(`${url}${path}?start=1&limit=10`, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    },
    "fetch+signer": async () => {
      const target = new URL(`${url}${path}?start=1&limit=10`);
      const signed: Record<string, string> = {
        host,
        "x-project-id": BENCH_PROJECT_ID,
        "x-sdk-date": formatSdkDate(new Date()),
      };
      const authorization = signRequest({ method: "GET", url: target, headers: signed }, key);
      const res = await fetch(target, {
        headers: { ...signed, accept: "application/json", authorization },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return res.json();
    },
    "node:http": () =>
      new Promise((resolve, reject) => {
        httpGet(`${url}${path}?start=1&limit=10`, { headers: { accept: "application/json" } }, (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => {
            if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
            else resolve(JSON.parse(body));
          });
          res.on("error", reject);
        }).on("error", reject);
      }),
  };
}

/** The page each variant returns, in the shape it returns it, must hold the seed's task. */
function checkPage(variant: string, page: unknown): void {
  const p = page as { data?: { tasks?: { id?: string }[] }; tasks?: { id?: string }[] };
  const tasks = p.tasks ?? p.data?.tasks;
  if (!tasks || tasks[0]?.id !== EXPECTED_ID) {
    throw new Error(`${variant}: unexpected response ${JSON.stringify(page).slice(0, 200)}`);
  }
}

function pct(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function measureLatency(config: LatencyConfig): Promise<LatencyResult> {
  const calls = await makeCalls(config.url);

  // Pre-flight: every variant's request is well-formed and (if signed) verifies on the server.
  const before = await serverControl(config.url, "/__bench/verify?on=1");
  for (const v of LATENCY_VARIANTS) checkPage(v, await calls[v]());
  const after = await serverControl(config.url, "/__bench/verify?on=0");
  const delta = (k: string): number => (after[k] as number) - (before[k] as number);
  // ours, official and fetch+signer sign; fetch and node:http do not.
  if (delta("rejected") !== 0 || delta("verified") !== 3) {
    throw new Error(`signature pre-flight failed: ${JSON.stringify({ before, after })}`);
  }

  // Warm-up: JIT, connection pools, lazy module loading.
  for (const v of LATENCY_VARIANTS) for (let i = 0; i < config.warmupCalls; i++) await calls[v]();

  const roundsUs = Object.fromEntries(LATENCY_VARIANTS.map((v) => [v, [] as number[]])) as Record<LatencyVariant, number[]>;
  const roundsCpuUs = Object.fromEntries(LATENCY_VARIANTS.map((v) => [v, [] as number[]])) as Record<LatencyVariant, number[]>;
  const samples = Object.fromEntries(
    LATENCY_VARIANTS.map((v) => [v, new Float64Array(config.rounds * config.callsPerRound)]),
  ) as Record<LatencyVariant, Float64Array>;

  for (let r = 0; r < config.rounds; r++) {
    for (const v of rotate(LATENCY_VARIANTS, r)) {
      const call = calls[v];
      const buf = samples[v];
      gcIfExposed(); // start each batch from a clean heap, so no variant pays for another's garbage
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let prev = t0;
      for (let i = 0; i < config.callsPerRound; i++) {
        await call();
        const now = performance.now();
        buf[r * config.callsPerRound + i] = (now - prev) * 1000;
        prev = now;
      }
      const cpu = process.cpuUsage(cpu0);
      roundsUs[v].push(((prev - t0) * 1000) / config.callsPerRound);
      roundsCpuUs[v].push((cpu.user + cpu.system) / config.callsPerRound);
    }
  }

  const callP50Us = {} as Record<LatencyVariant, number>;
  const callP99Us = {} as Record<LatencyVariant, number>;
  for (const v of LATENCY_VARIANTS) {
    const sorted = samples[v].slice().sort();
    callP50Us[v] = pct(sorted, 0.5);
    callP99Us[v] = pct(sorted, 0.99);
  }
  return { roundsUs, roundsCpuUs, callP50Us, callP99Us, config };
}

runIfMain(import.meta.url, measureLatency);
