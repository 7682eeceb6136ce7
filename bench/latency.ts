/**
 * Figure 1: per-call latency of one `listBackgroundTasks` call (start=1, limit=10) against the
 * bench server's reference page. The variants, in one child process, interleaved round by round:
 *
 *   ours          createBackgroundTasksClient(...).listBackgroundTasks()   (dist/index.js, AK/SK)
 *   official      KafkaClient.listBackgroundTasks(ListBackgroundTasksRequest)  (axios, AK/SK)
 *   fetch         bare global fetch + res.json(), no signing: the reference of the targets
 *   transport     our default transport (src/transport.ts) + res.json(), no signing: our floor
 *   node:http     bare http.get on node's keep-alive global agent + JSON.parse, no signing: what
 *                 the transport and the official SDK's axios ride on
 *
 * Each call is awaited before the next (concurrency 1, one keep-alive connection per client).
 * A round runs `callsPerRound` calls of one variant; the value of a round is its mean µs/call.
 */
import { get as httpGet } from "node:http";
import { performance } from "node:perf_hooks";
import { defaultTransport } from "../src/transport.ts";
import { BENCH_PROJECT_ID, REFERENCE_INSTANCE } from "./server.ts";
import { createOfficialClient, createOurClient, gcIfExposed, loadOfficial, rotate, runChild, runIfMain, serverControl } from "./common.ts";
import { ratioBar, spread, table, type Figure } from "./figure.ts";
import { fmt, pairedRatios, summarize } from "./stats.ts";

export const LATENCY_VARIANTS = ["ours", "official", "fetch", "transport", "node:http"] as const;
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
  const href = `${url}${path}?start=1&limit=10`;
  const init = { headers: { accept: "application/json" } };
  const json = async (pending: Promise<Response>): Promise<unknown> => {
    const res = await pending;
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return res.json();
  };
  return {
    ours: () => ours.listBackgroundTasks({ instanceId: REFERENCE_INSTANCE, start: 1, limit: 10 }),
    official: () =>
      official.listBackgroundTasks(
        new kafka.ListBackgroundTasksRequest().withInstanceId(REFERENCE_INSTANCE).withStart(1).withLimit(10),
      ),
    fetch: () => json(fetch(href, init)),
    transport: () => json(defaultTransport(new Request(href, init))),
    "node:http": () =>
      new Promise((resolve, reject) => {
        httpGet(href, init, (res) => {
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

export async function measureLatency(config: LatencyConfig): Promise<LatencyResult> {
  const calls = await makeCalls(config.url);

  // Pre-flight: every variant's request is well-formed and (if signed) verifies on the server.
  const before = await serverControl(config.url, "/__bench/verify?on=1");
  for (const v of LATENCY_VARIANTS) checkPage(v, await calls[v]());
  const after = await serverControl(config.url, "/__bench/verify?on=0");
  const delta = (k: string): number => (after[k] as number) - (before[k] as number);
  // ours and official sign; the others do not.
  if (delta("rejected") !== 0 || delta("verified") !== 2) {
    throw new Error(`signature pre-flight failed: ${JSON.stringify({ before, after })}`);
  }

  // Warm-up: JIT, connection pools, lazy module loading.
  for (const v of LATENCY_VARIANTS) for (let i = 0; i < config.warmupCalls; i++) await calls[v]();

  const perVariant = <T>(make: () => T) => Object.fromEntries(LATENCY_VARIANTS.map((v) => [v, make()])) as Record<LatencyVariant, T>;
  const roundsUs = perVariant((): number[] => []);
  const roundsCpuUs = perVariant((): number[] => []);
  const samples = perVariant(() => new Float64Array(config.rounds * config.callsPerRound));

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

  const pct = (q: number) =>
    Object.fromEntries(LATENCY_VARIANTS.map((v) => [v, samples[v].slice().sort()[Math.floor(q * (samples[v].length - 1))]!])) as Record<LatencyVariant, number>;
  return { roundsUs, roundsCpuUs, callP50Us: pct(0.5), callP99Us: pct(0.99), config };
}

runIfMain(import.meta.url, measureLatency);

// ---------------------------------------------------------------------------------------------
// As a figure of the runner.

type Figure1 = LatencyResult & { server: Record<string, unknown> };

export const figure: Figure<Figure1> = {
  id: "latency",
  usesDist: true,
  async run(ctx) {
    const url = await ctx.serverUrl();
    const size = ctx.quick ? { warmupCalls: 20, rounds: 3, callsPerRound: 20 } : { warmupCalls: 300, rounds: 30, callsPerRound: 200 };
    const result = await runChild<LatencyResult>("latency.ts", { url, ...size } satisfies LatencyConfig, { nodeFlags: ["--expose-gc"] });
    return { ...result, server: await serverControl(url, "/__bench/stats") };
  },
  report(l) {
    const r = l.roundsUs;
    const g = "1 · Per call, listBackgroundTasks (AK/SK)";
    const ratios: [string, LatencyVariant, LatencyVariant, number?][] = [
      ["ours / bare fetch", "ours", "fetch", 1.1],
      ["ours / official SDK", "ours", "official", 0.5],
      ["ours / our transport unsigned (floor)", "ours", "transport"],
      ["our transport / bare fetch", "transport", "fetch"],
      ["official SDK / bare fetch", "official", "fetch"],
      ["bare node:http / bare fetch", "node:http", "fetch"],
    ];
    const bars = ratios.map(([label, a, b, target]) => ratioBar(g, label, pairedRatios(r[a], r[b]), target));
    const vsFetch = bars[0]!;
    const vsOfficial = bars[1]!;
    const m = (v: LatencyVariant): string => `${fmt(summarize(r[v]).median)} µs`;
    return {
      bars: bars.slice(0, 5),
      targets: [
        { figure: "Per call", target: "ours / bare fetch ≤ 1.10", value: fmt(vsFetch.median), met: vsFetch.median <= 1.1 },
        { figure: "Per call", target: "ours / official SDK ≤ 0.50", value: fmt(vsOfficial.median), met: vsOfficial.median <= 0.5 },
      ],
      summary: [[
        "Per call (µs, median of rounds)",
        m("ours"),
        m("official"),
        `${m("fetch")} (our transport unsigned ${m("transport")}; node:http ${m("node:http")})`,
        `${fmt(vsOfficial.median)}× official, ${fmt(vsFetch.median)}× fetch`,
      ]],
      section: [
        "## 1. Per-call latency",
        "",
        "One `listBackgroundTasks` (start=1, limit=10) returning the seed's example page, AK/SK-signed where named, " +
          `awaited one after the other. ${l.config.rounds} interleaved rounds × ${l.config.callsPerRound} calls per variant ` +
          `after ${l.config.warmupCalls} warm-up calls each; a forced GC before each batch. A pre-flight checks every signed ` +
          "variant's signature on the server. `transport` is our default transport alone (unsigned, `Response.json()`): " +
          "the floor under our client. Client CPU is `process.cpuUsage()` of the client process per call.",
        "",
        table(
          ["Variant", "µs/call, median of rounds (p25–p75)", "single calls p50 / p99 (µs)", "client CPU µs/call"],
          LATENCY_VARIANTS.map((v) => [v, spread(r[v]), `${fmt(l.callP50Us[v])} / ${fmt(l.callP99Us[v])}`, fmt(summarize(l.roundsCpuUs[v]).median)]),
        ),
        "",
        table(
          ["Ratio (per-round pairs)", "median (p25–p75)", "target"],
          ratios.map(([label, a, b, target]) => [label, spread(pairedRatios(r[a], r[b])), target ? `≤ ${target.toFixed(2)}` : ""]),
        ),
        "",
        `Keep-alive check: the server accepted ${String(l.server["connections"])} TCP connections for ` +
          `${String(l.server["requests"])} API requests during this figure (the pre-flight's included).`,
      ],
    };
  },
};
