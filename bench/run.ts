/**
 * `npm run bench` — every figure in one process tree, then bench/RESULTS.md and bench/chart.svg.
 *
 *   npm run bench                       full run (several minutes), writes bench/RESULTS.md + chart.svg
 *   npm run bench -- --quick            smoke run (seconds), writes to $TMPDIR/dms-bench-quick only
 *   npm run bench -- --out DIR          write the results somewhere else
 *   npm run bench -- --only latency,signing,cold,pagination
 *   npm run bench -- --no-build         do not (re)compile dist/ even if src/ is newer
 *   npm run bench -- --render           only re-render RESULTS.md + chart.svg from results.json
 *                                       (after editing bench/NOTES.md)
 *
 * Process tree: this orchestrator; the local server (own process, so its CPU is not charged to
 * the client under test); one child per figure (latency, signing) and one per pagination run
 * (fresh heap, --expose-gc); one bare `node` per cold-start sample.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { renderChart, type RatioBar } from "./chart.ts";
import { DIST_INDEX, ROOT, rotate, runChild, serverControl, startServerProcess } from "./common.ts";
import { COLD_VARIANTS, measureColdStart, measureWeight, type ColdStartResult, type WeightResult } from "./cold-start.ts";
import { LATENCY_VARIANTS, type LatencyConfig, type LatencyResult } from "./latency.ts";
import { PAGINATION_CLIENTS, type PaginationConfig, type PaginationResult } from "./pagination.ts";
import { SIGNING_VARIANTS, type SigningConfig, type SigningResult } from "./signing.ts";
import { fmt, fmtBytes, fmtSummary, pairedRatios, summarize, type Summary } from "./stats.ts";

// ---------------------------------------------------------------------------------------------
// Options.

const FIGURES = ["cold", "signing", "latency", "pagination"] as const;
type Figure = (typeof FIGURES)[number];

interface Options {
  quick: boolean;
  render: boolean;
  outDir: string;
  only: Set<Figure>;
  build: boolean;
}

function parseArgs(argv: string[]): Options {
  let quick = false;
  let outDir: string | undefined;
  let only = new Set<Figure>(FIGURES);
  let build = true;
  let render = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") quick = true;
    else if (a === "--no-build") build = false;
    else if (a === "--render") render = true;
    else if (a === "--out") outDir = argv[++i];
    else if (a.startsWith("--out=")) outDir = a.slice(6);
    else if (a === "--only" || a.startsWith("--only=")) {
      const list = a === "--only" ? argv[++i] : a.slice(7);
      only = new Set(
        (list ?? "").split(",").map((s) => {
          if (!(FIGURES as readonly string[]).includes(s)) throw new Error(`--only: unknown figure "${s}" (${FIGURES.join(", ")})`);
          return s as Figure;
        }),
      );
    } else if (a === "--help" || a === "-h") {
      const source = readFileSync(new URL(import.meta.url), "utf8").split("\n");
      console.log(source.slice(1, source.indexOf(" */")).map((l) => l.replace(/^ \* ?/, "")).join("\n"));
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  // A smoke run never overwrites the committed results.
  outDir ??= quick ? join(tmpdir(), "dms-bench-quick") : join(ROOT, "bench");
  return { quick, render, outDir, only, build };
}

const CONFIG = {
  full: {
    cold: { warmup: 3, rounds: 20 },
    signing: { warmupOps: 20_000, rounds: 15, opsPerRound: 20_000 },
    latency: { warmupCalls: 300, rounds: 30, callsPerRound: 200 },
    pagination: { sizes: [10_000, 100_000], rounds: 3, pageSize: 100, warmupTasks: 10_000, checkpointEvery: 10_000 },
  },
  quick: {
    cold: { warmup: 1, rounds: 2 },
    signing: { warmupOps: 500, rounds: 3, opsPerRound: 1_000 },
    latency: { warmupCalls: 20, rounds: 3, callsPerRound: 20 },
    pagination: { sizes: [300, 1_000], rounds: 1, pageSize: 100, warmupTasks: 100, checkpointEvery: 300 },
  },
};

// ---------------------------------------------------------------------------------------------
// dist/ must reflect src/: the cold-start and client figures load the compiled package.

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!e.isFile()) continue;
    const m = statSync(join(e.parentPath ?? e.path, e.name)).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

function ensureDist(build: boolean): void {
  const stale =
    !existsSync(DIST_INDEX) ||
    newestMtime(join(ROOT, "src")) > statSync(DIST_INDEX).mtimeMs ||
    statSync(join(ROOT, "generated", "schema.d.ts")).mtimeMs > statSync(DIST_INDEX).mtimeMs;
  if (!stale) return;
  if (!build) {
    if (!existsSync(DIST_INDEX)) throw new Error("dist/index.js missing and --no-build given");
    console.warn("warning: dist/ is older than src/ (--no-build)");
    return;
  }
  console.log("compiling dist/ (tsc -p tsconfig.build.json) ...");
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "inherit",
  });
}

// ---------------------------------------------------------------------------------------------
// Environment.

interface Environment {
  date: string;
  node: string;
  v8: string;
  undici: string;
  cpu: string;
  cores: number;
  memory: string;
  os: string;
  loadStart: number[];
  loadEnd?: number[];
  commit: string;
  versions: Record<string, string>;
}

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}

function environment(): Environment {
  let commit = "?";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--", "src", "bench"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    if (dirty.trim()) commit += " (+ uncommitted src/ or bench/ changes)";
  } catch {
    /* not a git checkout */
  }
  let osName = `${process.platform} ${release()}`;
  try {
    const m = /PRETTY_NAME="([^"]+)"/.exec(readFileSync("/etc/os-release", "utf8"));
    if (m) osName = `${m[1]} (kernel ${release()})`;
  } catch {
    /* not Linux */
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    v8: process.versions.v8,
    undici: process.versions["undici"] ?? "?",
    cpu: cpus()[0]?.model.trim() ?? "?",
    cores: cpus().length,
    memory: fmtBytes(totalmem()),
    os: osName,
    loadStart: loadavg(),
    commit,
    versions: {
      "openapi-fetch": pkgVersion("openapi-fetch"),
      "@huaweicloud/huaweicloud-sdk-kafka": pkgVersion("@huaweicloud/huaweicloud-sdk-kafka"),
      "@huaweicloud/huaweicloud-sdk-core": pkgVersion("@huaweicloud/huaweicloud-sdk-core"),
      axios: pkgVersion("axios"),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Running the figures.

interface Results {
  env: Environment;
  quick: boolean;
  cold?: ColdStartResult;
  weight?: WeightResult;
  signing?: SigningResult;
  latency?: LatencyResult;
  pagination?: PaginationResult[];
  paginationSizes: number[];
  /** Server counters after the latency figure and at the end. */
  server?: { afterLatency?: Record<string, unknown>; end?: Record<string, unknown> };
  wallSeconds: number;
}

async function runAll(opts: Options): Promise<Results> {
  const cfg = opts.quick ? CONFIG.quick : CONFIG.full;
  const env = environment();
  const t0 = performance.now();
  const results: Results = { env, quick: opts.quick, paginationSizes: cfg.pagination.sizes, wallSeconds: 0 };
  const step = (s: string): void => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}`);

  if (opts.only.has("cold")) {
    step("cold start: fresh node processes");
    results.cold = measureColdStart(cfg.cold);
    step("weight: dependency closures");
    results.weight = measureWeight();
  }
  if (opts.only.has("signing")) {
    step("signing");
    results.signing = await runChild<SigningResult>("signing.ts", cfg.signing satisfies SigningConfig, {
      nodeFlags: ["--expose-gc"],
    });
  }
  if (opts.only.has("latency") || opts.only.has("pagination")) {
    const server = await startServerProcess();
    step(`server up on ${server.url}`);
    try {
      if (opts.only.has("latency")) {
        step("latency");
        const config: LatencyConfig = { url: server.url, ...cfg.latency };
        results.latency = await runChild<LatencyResult>("latency.ts", config, { nodeFlags: ["--expose-gc"] });
        results.server = { afterLatency: await serverControl(server.url, "/__bench/stats") };
      }
      if (opts.only.has("pagination")) {
        results.pagination = [];
        const { sizes, rounds, pageSize, warmupTasks, checkpointEvery } = cfg.pagination;
        let k = 0;
        for (let r = 0; r < rounds; r++) {
          const batch: PaginationConfig[] = [];
          for (const tasks of sizes) {
            for (const client of rotate(PAGINATION_CLIENTS, k++)) {
              const config: PaginationConfig = { url: server.url, client, tasks, pageSize, warmupTasks, checkpointEvery };
              if (opts.quick) {
                batch.push(config); // smoke run: all in one process, to stay fast
                continue;
              }
              step(`pagination round ${r + 1}/${rounds}: ${client}, ${tasks.toLocaleString("en-US")} tasks`);
              results.pagination.push(
                await runChild<PaginationResult>("pagination.ts", config, { nodeFlags: ["--expose-gc"] }),
              );
            }
          }
          if (batch.length) {
            step(`pagination: ${batch.length} runs in one process (--quick)`);
            results.pagination.push(
              ...(await runChild<PaginationResult[]>("pagination.ts", batch, { nodeFlags: ["--expose-gc"] })),
            );
          }
        }
      }
      results.server = { ...results.server, end: await serverControl(server.url, "/__bench/stats") };
    } finally {
      await server.stop();
    }
  }
  env.loadEnd = loadavg();
  results.wallSeconds = (performance.now() - t0) / 1000;
  step("done");
  return results;
}

// ---------------------------------------------------------------------------------------------
// Targets and the ratios charted.

interface TargetRow {
  figure: string;
  target: string;
  value: string;
  met: boolean | undefined;
}

interface Derived {
  bars: RatioBar[];
  targets: TargetRow[];
  summaryRows: string[][];
}

/** Live-heap growth allowed between the small and the large pagination run (bounded ≠ per task). */
const FLAT_MAX_DELTA = 1024 * 1024;

function pagStats(results: PaginationResult[], client: string, tasks: number) {
  const runs = results.filter((r) => r.client === client && r.tasks === tasks);
  return {
    runs,
    tps: summarize(runs.map((r) => r.tasksPerSec)),
    peakHeap: summarize(runs.map((r) => r.peakHeapGrowth)),
    peakRss: summarize(runs.map((r) => r.peakRssGrowth)),
    retained: summarize(runs.map((r) => r.retainedHeapGrowth)),
    maxLive: summarize(runs.map((r) => Math.max(0, ...r.liveHeapGrowth.map((l) => l.bytes)))),
  };
}

function derive(res: Results): Derived {
  const bars: RatioBar[] = [];
  const targets: TargetRow[] = [];
  const summaryRows: string[][] = [];
  const bar = (group: string, label: string, ratios: number[], target?: number): Summary => {
    const s = summarize(ratios);
    bars.push({ group, label, ratio: s.median, lo: s.p25, hi: s.p75, ...(target !== undefined ? { target } : {}) });
    return s;
  };

  if (res.latency) {
    const r = res.latency.roundsUs;
    const g = "1 · Per call, listBackgroundTasks (AK/SK)";
    const vsFetch = bar(g, "ours / bare fetch", pairedRatios(r.ours, r.fetch), 1.1);
    const vsOfficial = bar(g, "ours / official SDK", pairedRatios(r.ours, r.official), 0.7);
    bar(g, "ours / bare fetch + our signer", pairedRatios(r.ours, r["fetch+signer"]));
    bar(g, "context: bare fetch + signer / bare fetch", pairedRatios(r["fetch+signer"], r.fetch));
    bar(g, "context: bare node:http / bare fetch", pairedRatios(r["node:http"], r.fetch));
    targets.push(
      { figure: "Per call", target: "ours / bare fetch ≤ 1.10", value: fmt(vsFetch.median), met: vsFetch.median <= 1.1 },
      { figure: "Per call", target: "ours / official SDK ≤ 0.70", value: fmt(vsOfficial.median), met: vsOfficial.median <= 0.7 },
    );
    const m = (v: (typeof LATENCY_VARIANTS)[number]): string => `${fmt(summarize(r[v]).median)} µs`;
    summaryRows.push([
      "Per call (µs, median of rounds)",
      m("ours"),
      m("official"),
      `${m("fetch")} (${m("fetch+signer")} signed; node:http ${m("node:http")})`,
      `${fmt(vsOfficial.median)}× official, ${fmt(vsFetch.median)}× fetch`,
    ]);
  }

  if (res.cold) {
    const { importMs, processMs } = res.cold;
    const g = "2 · Cold start and weight";
    const imp = bar(g, "import time: ours / official", pairedRatios(importMs.ours, importMs.official), 1 / 8);
    const net = (v: "ours" | "official"): number[] => processMs[v].map((ms, i) => ms - processMs.empty[i]!);
    bar(g, "process time − empty node: ours / official", pairedRatios(net("ours"), net("official")));
    targets.push({ figure: "Cold import", target: "ours ≤ 1/8 of official (≤ 0.125)", value: fmt(imp.median), met: imp.median <= 1 / 8 });
    summaryRows.push([
      "Cold import (ms, in-process)",
      `${fmt(summarize(importMs.ours).median)} ms`,
      `${fmt(summarize(importMs.official).median)} ms`,
      `empty script: process ${fmt(summarize(processMs.empty).median)} ms`,
      `${fmt(imp.median)}× official`,
    ]);
  }
  if (res.weight) {
    const { ours, official } = res.weight;
    bars.push({ group: "2 · Cold start and weight", label: "installed size: ours / official", ratio: ours.bytes / official.bytes });
    summaryRows.push([
      "Installed runtime deps",
      `${fmtBytes(ours.bytes)} (${ours.packages.length - 1} pkgs + dist)`,
      `${fmtBytes(official.bytes)} (${official.packages.length} pkgs)`,
      "—",
      `${fmt(ours.bytes / official.bytes)}×`,
    ]);
  }

  if (res.pagination && res.pagination.length) {
    const [small, large] = [Math.min(...res.paginationSizes), Math.max(...res.paginationSizes)];
    const g = `3 · Pagination, ${large.toLocaleString("en-US")} tasks`;
    const per = (client: string, tasks: number) => res.pagination!.filter((r) => r.client === client && r.tasks === tasks);
    const timePerTask = (client: string): number[] => per(client, large).map((r) => r.elapsedMs / r.tasks);
    bar(g, "time per task: ours / official", pairedRatios(timePerTask("ours"), timePerTask("official")));
    bar(g, "time per task: ours / bare fetch loop", pairedRatios(timePerTask("ours"), timePerTask("fetch")));
    const peakAtLarge = (client: string): number[] => per(client, large).map((r) => r.peakHeapGrowth);
    bar(g, "peak heap growth: ours / official", pairedRatios(peakAtLarge("ours"), peakAtLarge("official")));
    bar(g, "peak heap growth: ours / bare fetch loop", pairedRatios(peakAtLarge("ours"), peakAtLarge("fetch")));
    const st = (client: string, tasks: number) => pagStats(res.pagination!, client, tasks);
    const oursL = st("ours", large);
    const oursS = st("ours", small);
    const offL = st("official", large);
    const fetchL = st("fetch", large);
    // Flat = what stays alive does not scale with the number of tasks: the live heap (forced GC)
    // at the large size minus at the small size, against the same delta of the bare fetch loop.
    const delta = (client: string): number => st(client, large).maxLive.median - st(client, small).maxLive.median;
    const perTask = delta("ours") / (large - small);
    // Linear reference: the heap the extra tasks would take if the iteration kept them.
    const keptPerTask = summarize(res.pagination.map((r) => r.bytesPerTaskKept)).median;
    const keptBytes = keptPerTask * (large - small);
    bars.push({
      group: g,
      label: `live heap ${small / 1000}k→${large / 1000}k tasks / tasks kept`,
      ratio: Math.max(0, delta("ours")) / keptBytes,
      target: FLAT_MAX_DELTA / keptBytes,
    });
    targets.push({
      figure: "Pagination",
      target:
        `memory flat: live heap (after GC) grows ≤ ${fmtBytes(FLAT_MAX_DELTA)} from ${small / 1000}k to ${large / 1000}k tasks ` +
        `(keeping them would take ${fmtBytes(keptBytes)}: ${fmt(keptPerTask)} B/task, measured)`,
      value:
        `${signed(delta("ours"))} (${fmt(perTask)} B/task; bare fetch loop ${signed(delta("fetch"))}); ` +
        `peak heap ${fmtBytes(oursS.peakHeap.median)} → ${fmtBytes(oursL.peakHeap.median)}`,
      met: delta("ours") <= FLAT_MAX_DELTA,
    });
    summaryRows.push([
      `Pagination, ${large.toLocaleString("en-US")} tasks (tasks/s)`,
      fmt(oursL.tps.median),
      fmt(offL.tps.median),
      fmt(fetchL.tps.median),
      `${fmt(oursL.tps.median / offL.tps.median)}× official throughput`,
    ]);
    summaryRows.push([
      `Pagination memory, ${small / 1000}k → ${large / 1000}k tasks: peak heap growth; live heap growth`,
      `${fmtBytes(oursS.peakHeap.median)} → ${fmtBytes(oursL.peakHeap.median)}; ${fmtBytes(oursS.maxLive.median)} → ${fmtBytes(oursL.maxLive.median)}`,
      `${fmtBytes(st("official", small).peakHeap.median)} → ${fmtBytes(offL.peakHeap.median)}; ${fmtBytes(st("official", small).maxLive.median)} → ${fmtBytes(offL.maxLive.median)}`,
      `${fmtBytes(st("fetch", small).peakHeap.median)} → ${fmtBytes(fetchL.peakHeap.median)}; ${fmtBytes(st("fetch", small).maxLive.median)} → ${fmtBytes(fetchL.maxLive.median)}`,
      `flat (+${fmt(perTask)} B/task live)`,
    ]);
  }

  if (res.signing) {
    const r = res.signing.roundsOpsPerSec;
    const g = "4 · Signing";
    // time per signature, ours / official == official ops/s / ours ops/s
    const s = bar(g, "time per signature: ours / official", pairedRatios(r.official, r.ours), 1);
    bar(g, "time per signature: ours (+ new URL) / official", pairedRatios(r.official, r["ours+URL"]));
    targets.push({ figure: "Signing", target: "at least as fast as official (time ratio ≤ 1)", value: fmt(s.median), met: s.median <= 1 });
    summaryRows.push([
      "Signing (signatures/s)",
      fmt(summarize(r.ours).median),
      fmt(summarize(r.official).median),
      "—",
      `${fmt(summarize(r.ours).median / summarize(r.official).median)}× official`,
    ]);
  }
  return { bars, targets, summaryRows };
}

// ---------------------------------------------------------------------------------------------
// Markdown.

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const signed = (bytes: number): string => (bytes >= 0 ? "+" : "") + fmtBytes(bytes);
const mdSummary = (s: Summary, unit = ""): string => fmtSummary(s, unit);
const mdRange = (s: Summary, unit = ""): string => `${fmt(s.min)}–${fmt(s.max)}${unit}`;

function renderMarkdown(res: Results, d: Derived, chartFile: string, notes: string): string {
  const e = res.env;
  const out: string[] = [];
  out.push(
    "# Benchmark results",
    "",
    res.quick
      ? "> **Smoke run (`--quick`)**: tiny iteration counts, numbers are meaningless. Not the committed results."
      : "> Generated by `npm run bench` (bench/run.ts). Do not edit by hand: rerun instead. " +
          "The analysis comes from `bench/NOTES.md`.",
    "",
    `![ratios, ours / reference (lower is better)](${chartFile})`,
    "",
    "## Summary",
    "",
    "Medians over interleaved rounds; ratios are medians of per-round paired ratios.",
    "",
    table(["Figure", "ours", "official SDK", "bare fetch (floor)", "ours vs"], d.summaryRows),
    "",
    "## Targets",
    "",
    table(
      ["Figure", "Target", "Measured", "Met?"],
      d.targets.map((t) => [t.figure, t.target, t.value, t.met === undefined ? "—" : t.met ? "✅ met" : "❌ missed"]),
    ),
    "",
    "## Environment",
    "",
    table(
      ["", ""],
      [
        ["Date", e.date],
        ["Node.js", `${e.node} (V8 ${e.v8}, undici ${e.undici})`],
        ["CPU", `${e.cpu}, ${e.cores} cores`],
        ["Memory", e.memory],
        ["OS", e.os],
        ["Load average (1/5/15 min) at start → end", `${e.loadStart.map((v) => v.toFixed(2)).join(" / ")} → ${(e.loadEnd ?? []).map((v) => v.toFixed(2)).join(" / ")}`],
        ["Commit", e.commit],
        ["Compared", Object.entries(e.versions).map(([k, v]) => `${k} ${v}`).join(", ")],
        ["Run time", `${res.wallSeconds.toFixed(0)} s`],
      ],
    ),
    "",
    "Server: `bench/server.ts`, node:http on 127.0.0.1 in its own process, keep-alive on " +
      "(keepAliveTimeout 120 s). Our client and bare `fetch` use Node's built-in fetch (undici, global " +
      "dispatcher, keep-alive); the official SDK uses axios 1.x over `http.globalAgent` (keep-alive by " +
      "default since Node 19). Every client reuses one connection: calls are sequential. The official " +
      "SDK also sends `Accept-Encoding: gzip, compress, deflate, br`; the server never compresses.",
    "",
  );

  if (res.latency) {
    const l = res.latency;
    out.push(
      "## 1. Per-call latency",
      "",
      `One \`listBackgroundTasks\` (start=1, limit=10) returning the seed's example page, AK/SK-signed ` +
        `(except bare fetch), awaited one after the other. ${l.config.rounds} interleaved rounds × ` +
        `${l.config.callsPerRound} calls per variant after ${l.config.warmupCalls} warm-up calls each; ` +
        "a forced GC before each batch. A pre-flight checks every signed variant's signature on the server. " +
        "`node:http` (bare `http.get` + `JSON.parse`, unsigned) is the transport under the official SDK's axios, " +
        "shown for context. Client CPU is `process.cpuUsage()` of the client process (all its threads) per call.",
      "",
      table(
        ["Variant", "µs/call, median of rounds (p25–p75)", "min–max of rounds", "single calls p50 / p99 (µs)", "client CPU µs/call"],
        LATENCY_VARIANTS.map((v) => {
          const s = summarize(l.roundsUs[v]);
          return [
            v,
            mdSummary(s),
            mdRange(s),
            `${fmt(l.callP50Us[v])} / ${fmt(l.callP99Us[v])}`,
            fmt(summarize(l.roundsCpuUs[v]).median),
          ];
        }),
      ),
      "",
      table(
        ["Ratio (per-round pairs)", "median (p25–p75)", "target"],
        [
          ["ours / bare fetch", mdSummary(summarize(pairedRatios(l.roundsUs.ours, l.roundsUs.fetch))), "≤ 1.10"],
          ["ours / official SDK", mdSummary(summarize(pairedRatios(l.roundsUs.ours, l.roundsUs.official))), "≤ 0.70"],
          ["ours / bare fetch + our signer", mdSummary(summarize(pairedRatios(l.roundsUs.ours, l.roundsUs["fetch+signer"]))), ""],
          ["bare fetch + our signer / bare fetch", mdSummary(summarize(pairedRatios(l.roundsUs["fetch+signer"], l.roundsUs.fetch))), ""],
          ["official SDK / bare fetch", mdSummary(summarize(pairedRatios(l.roundsUs.official, l.roundsUs.fetch))), ""],
          ["bare node:http / bare fetch", mdSummary(summarize(pairedRatios(l.roundsUs["node:http"], l.roundsUs.fetch))), ""],
          ["official SDK / bare node:http", mdSummary(summarize(pairedRatios(l.roundsUs.official, l.roundsUs["node:http"]))), ""],
        ],
      ),
      "",
    );
    const st = res.server?.afterLatency;
    if (st) {
      out.push(
        `Keep-alive check: the server accepted ${String(st["connections"])} TCP connections for ` +
          `${String(st["requests"])} API requests during this figure (the pre-flight's control requests included).`,
        "",
      );
    }
  }

  if (res.cold || res.weight) out.push("## 2. Cold start and weight", "");
  if (res.cold) {
    const c = res.cold;
    out.push(
      "A fresh `node x.mjs` per sample (no flags, no loader): `empty` imports nothing, `ours` imports " +
        "`dist/index.js`, `official` imports `@huaweicloud/huaweicloud-sdk-kafka` and `-core` (both are " +
        `needed to build a client). ${c.importMs.empty.length} interleaved rounds after warm-up runs that fill ` +
        "the OS file cache. *Import* is timed inside the child with `performance.now()`; *process* is " +
        "spawn-to-exit, timed by the parent.",
      "",
      table(
        ["Variant", "import (ms), median (p25–p75)", "process (ms), median (p25–p75)", "process − empty (ms)", "CommonJS modules loaded"],
        COLD_VARIANTS.map((v) => [
          v,
          v === "empty" ? "—" : mdSummary(summarize(c.importMs[v])),
          mdSummary(summarize(c.processMs[v])),
          v === "empty" ? "—" : fmt(summarize(c.processMs[v].map((ms, i) => ms - c.processMs.empty[i]!)).median),
          String(c.cjsModules[v]),
        ]),
      ),
      "",
      `Import ratio ours / official: ${mdSummary(summarize(pairedRatios(c.importMs.ours, c.importMs.official)))} (target ≤ 0.125).`,
      "",
    );
  }
  if (res.weight) {
    const w = res.weight;
    const pkgRows = (c: typeof w.ours, limit: number): string[][] => {
      const rows = c.packages.slice(0, limit).map((p) => [`\`${p.name}\` ${p.version}`, String(p.files), fmtBytes(p.bytes), fmtBytes(p.jsBytes)]);
      if (c.packages.length > limit) {
        const rest = c.packages.slice(limit);
        rows.push([
          `${rest.length} more packages`,
          String(rest.reduce((s, p) => s + p.files, 0)),
          fmtBytes(rest.reduce((s, p) => s + p.bytes, 0)),
          fmtBytes(rest.reduce((s, p) => s + p.jsBytes, 0)),
        ]);
      }
      rows.push([`**total** (${c.packages.length} entries)`, `**${c.files}**`, `**${fmtBytes(c.bytes)}**`, `**${fmtBytes(c.jsBytes)}**`]);
      return rows;
    };
    out.push(
      "Installed size of the production dependency closure, walked in `node_modules` (dependencies, " +
        "optional and installed peer dependencies, resolved like Node does; bytes on disk of each package " +
        "directory without nested `node_modules`). Ours = `dist/` as published (the `files` list, via " +
        "`npm pack --dry-run`) + `openapi-fetch` and its dependency. Official = `huaweicloud-sdk-kafka` + " +
        "`huaweicloud-sdk-core` + their dependencies + `uuid` (required by the core but not declared).",
      "",
      `Ours: ${fmtBytes(w.ours.bytes)} in ${w.ours.files} files; official: ${fmtBytes(w.official.bytes)} in ` +
        `${w.official.files} files — ratio ${fmt(w.ours.bytes / w.official.bytes)}. Our package also ships ` +
        `${fmtBytes(w.oursNonRuntime.bytes)} in ${w.oursNonRuntime.files} files that are never loaded at run time, ` +
        `not counted above: ${w.oursNonRuntime.name} (OpenAPI documents and the generated types, ` +
        "the TypeScript sources the source maps point to, licence and docs).",
      "",
      "<details><summary>Per package</summary>",
      "",
      "**Ours**",
      "",
      table(["Package", "files", "on disk", "of which JS"], pkgRows(w.ours, 20)),
      "",
      "**Official SDK**",
      "",
      table(["Package", "files", "on disk", "of which JS"], pkgRows(w.official, 15)),
      "",
      "</details>",
      "",
    );
  }

  if (res.pagination && res.pagination.length) {
    const sizes = [...new Set(res.pagination.map((r) => r.tasks))].sort((a, b) => a - b);
    const rows: string[][] = [];
    for (const tasks of sizes) {
      for (const client of PAGINATION_CLIENTS) {
        const s = pagStats(res.pagination, client, tasks);
        if (!s.runs.length) continue;
        rows.push([
          client,
          tasks.toLocaleString("en-US"),
          mdSummary(s.tps),
          `${fmtBytes(s.peakHeap.median)} (${fmtBytes(s.peakHeap.min)}–${fmtBytes(s.peakHeap.max)})`,
          `${fmtBytes(s.peakRss.median)} (${fmtBytes(s.peakRss.min)}–${fmtBytes(s.peakRss.max)})`,
          fmtBytes(s.maxLive.median),
          fmtBytes(s.retained.median),
        ]);
      }
    }
    const runs = res.pagination.filter((r) => r.client === "ours" && r.tasks === Math.max(...sizes));
    out.push(
      "## 3. Pagination at scale",
      "",
      "Iterating a generated dataset in pages of 100 tasks, one fresh process " +
        "(`--expose-gc`) per client and size, interleaved, " +
        `${Math.max(...PAGINATION_CLIENTS.map((c) => res.pagination!.filter((r) => r.client === c && r.tasks === sizes[0]).length))} rounds. ` +
        "`ours` is `for await (const task of client.paginateBackgroundTasks({ instanceId, pageSize: 100 }))`; " +
        "`official` is a hand-written `start += tasks.length` loop over `KafkaClient.listBackgroundTasks`; " +
        "`fetch` is the same loop over bare unsigned `fetch`. After a warm-up pass and two forced GCs the baseline is " +
        "taken; heapUsed and RSS are sampled after every page (peak growth includes garbage not yet collected); " +
        `forced GCs every ${(res.pagination[0]?.liveHeapGrowth[0]?.tasks ?? 0).toLocaleString("en-US")} tasks (the same ` +
        "interval for both sizes) measure the live heap; their pauses are excluded from the time.",
      "",
      table(
        ["Client", "Tasks", "tasks/s, median (p25–p75)", "peak heap growth (min–max)", "peak RSS growth (min–max)", "max live heap growth", "retained after run"],
        rows,
      ),
      "",
    );
    out.push(
      `Linear reference: a loop that keeps every task it sees grows the live heap by ` +
        `${fmt(summarize(res.pagination.map((r) => r.bytesPerTaskKept)).median)} bytes per task ` +
        "(measured in each run's warm-up pass, which keeps its tasks in an array).",
      "",
    );
    if (runs[0]) {
      out.push(
        `Live heap growth (after forced GC) of one \`ours\` run, at each checkpoint: ` +
          runs[0].liveHeapGrowth.map((l) => `${(l.tasks / 1000).toFixed(0)}k: ${fmtBytes(l.bytes)}`).join(", ") +
          ".",
        "",
      );
    }
  }

  if (res.signing) {
    const s = res.signing;
    out.push(
      "## 4. Signing",
      "",
      "The same GET request (content-type, host, x-project-id, x-sdk-date signed; fresh X-Sdk-Date from the " +
        "clock each time) signed in a tight loop. `ours` = `formatSdkDate(new Date())` + `signRequest()` on a " +
        "prebuilt `URL` (as our middleware gets it from the Request); `ours+URL` also parses the URL each time; " +
        "`official` = `AKSKSigner.sign(request, credentials)` as `BaseCredentials.processAuthRequest` calls it. " +
        `A pre-flight checks both produce the identical Authorization value. ${s.config.rounds} interleaved rounds ` +
        `× ${s.config.opsPerRound.toLocaleString("en-US")} signatures, forced GC before each.`,
      "",
      table(
        ["Variant", "signatures/s, median (p25–p75)", "min–max of rounds", "µs per signature"],
        SIGNING_VARIANTS.map((v) => {
          const sm = summarize(s.roundsOpsPerSec[v]);
          return [v, mdSummary(sm), mdRange(sm), fmt(1e6 / sm.median)];
        }),
      ),
      "",
    );
  }

  if (notes.trim()) out.push("## Analysis", "", notes.trim(), "");
  out.push("## Reproduce", "", "```sh", "npm run bench            # full run, rewrites bench/RESULTS.md and bench/chart.svg", "npm run bench -- --quick # smoke run (seconds), writes to $TMPDIR/dms-bench-quick", "```", "");
  return out.join("\n");
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  console.log(`dms-background-tasks benchmark${opts.quick ? " (--quick smoke run)" : ""}; results -> ${opts.outDir}`);
  const jsonPath = join(opts.outDir, "results.json");
  let res: Results;
  if (opts.render) {
    res = JSON.parse(readFileSync(jsonPath, "utf8")) as Results;
  } else {
    if (opts.only.has("cold") || opts.only.has("latency") || opts.only.has("pagination")) ensureDist(opts.build);
    res = await runAll(opts);
  }
  const d = derive(res);
  mkdirSync(opts.outDir, { recursive: true });
  const chartPath = join(opts.outDir, "chart.svg");
  const e = res.env;
  writeFileSync(
    chartPath,
    renderChart(d.bars, {
      title: `dms-background-tasks vs official Huawei Cloud SDK vs bare fetch${res.quick ? " (smoke run)" : ""}`,
      subtitle: `Node ${e.node} · ${e.cpu} × ${e.cores} · ${e.date.slice(0, 10)} · bars: median, whiskers: p25–p75`,
    }),
  );
  const notesPath = join(ROOT, "bench", "NOTES.md");
  const notes = !res.quick && existsSync(notesPath) ? readFileSync(notesPath, "utf8").replace(/^# .*\n/, "") : "";
  const mdPath = join(opts.outDir, "RESULTS.md");
  writeFileSync(mdPath, renderMarkdown(res, d, "chart.svg", notes));
  if (!opts.render) writeFileSync(jsonPath, JSON.stringify(res, null, 1));

  console.log("");
  if (res.quick) console.log("smoke run (--quick): the numbers below are not meaningful");
  console.log(table(["Figure", "Target", "Measured", "Met?"], d.targets.map((t) => [t.figure, t.target, t.value, t.met ? "met" : "MISSED"])));
  console.log("");
  console.log(`wrote ${relative(process.cwd(), mdPath) || mdPath}, ${relative(process.cwd(), chartPath)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
