/**
 * `npm run bench` — every figure, then bench/RESULTS.md and bench/chart.svg.
 *
 *   npm run bench                       full run (several minutes), writes bench/RESULTS.md + chart.svg
 *   npm run bench -- --quick            smoke run (seconds), writes to $TMPDIR/dms-bench-quick only
 *   npm run bench -- --out DIR          write the results somewhere else
 *   npm run bench -- --only latency,pagination    (figure ids: see bench/figures.ts)
 *   npm run bench -- --no-build         do not (re)compile dist/ even if src/ is newer
 *   npm run bench -- --render           only re-render RESULTS.md + chart.svg from results.json
 *                                       (after editing bench/NOTES.md)
 *
 * Process tree: this runner; the bench server (bench/server.ts, its own process, so its CPU is
 * not charged to the client under test); the children each figure forks to measure in.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem } from "node:os";
import { join, relative } from "node:path";
import { performance } from "node:perf_hooks";
import { renderChart } from "./chart.ts";
import { DIST_INDEX, ROOT, startServerProcess } from "./common.ts";
import { table, type Figure, type Report } from "./figure.ts";
import { FIGURE_MODULES } from "./figures.ts";
import { fmtBytes } from "./stats.ts";

type Options = { quick: boolean; render: boolean; outDir: string; only: string[] | undefined; build: boolean };

function parseArgs(argv: string[]): Options {
  const o: Options = { quick: false, render: false, outDir: "", only: undefined, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (flag: string): string => (a === flag ? (argv[++i] ?? "") : a.slice(flag.length + 1));
    if (a === "--quick") o.quick = true;
    else if (a === "--no-build") o.build = false;
    else if (a === "--render") o.render = true;
    else if (a === "--out" || a.startsWith("--out=")) o.outDir = value("--out");
    else if (a === "--only" || a.startsWith("--only=")) o.only = value("--only").split(",");
    else if (a === "--help" || a === "-h") {
      const source = readFileSync(new URL(import.meta.url), "utf8").split("\n");
      console.log(source.slice(1, source.indexOf(" */")).map((l) => l.replace(/^ \* ?/, "")).join("\n"));
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  // A smoke run never overwrites the committed results.
  o.outDir ||= o.quick ? join(tmpdir(), "dms-bench-quick") : join(ROOT, "bench");
  return o;
}

async function loadFigures(only: string[] | undefined): Promise<Figure[]> {
  const all: Figure[] = [];
  for (const m of FIGURE_MODULES) all.push(((await import(m)) as { figure: Figure }).figure);
  const unknown = only?.filter((id) => !all.some((f) => f.id === id)) ?? [];
  if (unknown.length) throw new Error(`--only: unknown figure ${unknown.join(", ")} (${all.map((f) => f.id).join(", ")})`);
  return only ? all.filter((f) => only.includes(f.id)) : all;
}

/** dist/ must reflect src/: figures that load the compiled package would measure old code. */
function ensureDist(build: boolean): void {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => statSync(join(e.parentPath, e.name)).mtimeMs));
  const stale = !existsSync(DIST_INDEX) || Math.max(newest(join(ROOT, "src")), newest(join(ROOT, "generated"))) > statSync(DIST_INDEX).mtimeMs;
  if (!stale) return;
  if (!build) {
    if (!existsSync(DIST_INDEX)) throw new Error("dist/index.js missing and --no-build given");
    console.warn("warning: dist/ is older than src/ (--no-build)");
    return;
  }
  console.log("compiling dist/ (tsc -p tsconfig.build.json) ...");
  execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, stdio: "inherit" });
}

function attempt(f: () => string): string {
  try {
    return f();
  } catch {
    return "?";
  }
}
const git = (args: string[]): string =>
  attempt(() => execFileSync("git", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
const pkgVersion = (name: string): string =>
  attempt(() => (JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version);

function environment(): Record<string, string> {
  const os = /PRETTY_NAME="([^"]+)"/.exec(existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "");
  const dirty = git(["status", "--porcelain", "--", "src", "bench"]);
  const compared = ["openapi-fetch", "@huaweicloud/huaweicloud-sdk-kafka", "@huaweicloud/huaweicloud-sdk-core", "axios"];
  return {
    Date: new Date().toISOString(),
    "Node.js": `${process.version} (V8 ${process.versions.v8}, undici ${process.versions["undici"] ?? "?"})`,
    CPU: `${cpus()[0]?.model.trim() ?? "?"}, ${cpus().length} cores`,
    Memory: fmtBytes(totalmem()),
    OS: os ? `${os[1]} (kernel ${release()})` : `${process.platform} ${release()}`,
    "Load average (1/5/15 min) at start": loadavg().map((v) => v.toFixed(2)).join(" / "),
    Commit: git(["rev-parse", "--short", "HEAD"]) + (dirty && dirty !== "?" ? " (+ uncommitted src/ or bench/ changes)" : ""),
    Compared: compared.map((n) => `${n} ${pkgVersion(n)}`).join(", "),
  };
}

type Results = { quick: boolean; env: Record<string, string>; figures: Record<string, unknown> };

async function runAll(figures: Figure[], quick: boolean): Promise<Results> {
  const t0 = performance.now();
  const step = (s: string): void => console.log(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${s}`);
  const results: Results = { quick, env: environment(), figures: {} };
  let server: Promise<Awaited<ReturnType<typeof startServerProcess>>> | undefined;
  const serverUrl = async (): Promise<string> => {
    server ??= startServerProcess();
    return (await server).url;
  };
  try {
    for (const f of figures) {
      step(f.id);
      results.figures[f.id] = await f.run({ quick, serverUrl, step });
    }
  } finally {
    if (server) await (await server).stop();
  }
  results.env["Load average (1/5/15 min) at end"] = loadavg().map((v) => v.toFixed(2)).join(" / ");
  results.env["Run time"] = `${((performance.now() - t0) / 1000).toFixed(0)} s`;
  step("done");
  return results;
}

function renderMarkdown(res: Results, reports: Report[], notes: string): string {
  const targets = reports.flatMap((r) => r.targets ?? []);
  return [
    "# Benchmark results",
    "",
    res.quick
      ? "> **Smoke run (`--quick`)**: tiny iteration counts, numbers are meaningless. Not the committed results."
      : "> Generated by `npm run bench` (bench/run.ts). Do not edit by hand: rerun instead. The analysis comes from `bench/NOTES.md`.",
    "",
    "![ratios, ours / reference (lower is better)](chart.svg)",
    "",
    "## Summary",
    "",
    "Medians over interleaved rounds; ratios are medians of per-round paired ratios.",
    "",
    table(["Figure", "ours", "official SDK", "bare fetch (floor)", "ours vs"], reports.flatMap((r) => r.summary ?? [])),
    "",
    "## Targets",
    "",
    table(["Figure", "Target", "Measured", "Met?"], targets.map((t) => [t.figure, t.target, t.value, t.met ? "✅ met" : "❌ missed"])),
    "",
    "## Environment",
    "",
    table(["", ""], Object.entries(res.env)),
    "",
    "Server: `bench/server.ts`, node:http on 127.0.0.1 in its own process, keep-alive on (keepAliveTimeout 120 s); " +
      "it never compresses. Calls are sequential, so every client reuses one connection. Our client uses its default " +
      "transport (`src/transport.ts`: node:http with a keep-alive agent); bare `fetch` is Node's built-in fetch (undici, " +
      "global dispatcher, keep-alive); the official SDK uses axios 1.x over `http.globalAgent` (keep-alive by default since Node 19).",
    "",
    ...reports.flatMap((r) => [...r.section, ""]),
    ...(notes.trim() ? ["## Analysis", "", notes.trim(), ""] : []),
    "## Reproduce",
    "",
    "```sh",
    "npm run bench            # full run, rewrites bench/RESULTS.md and bench/chart.svg",
    "npm run bench -- --quick # smoke run (seconds), writes to $TMPDIR/dms-bench-quick",
    "```",
    "",
  ].join("\n");
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  console.log(`dms-background-tasks benchmark${opts.quick ? " (--quick smoke run)" : ""}; results -> ${opts.outDir}`);
  const jsonPath = join(opts.outDir, "results.json");
  let figures = await loadFigures(opts.only);
  let res: Results;
  if (opts.render) {
    res = JSON.parse(readFileSync(jsonPath, "utf8")) as Results;
    figures = figures.filter((f) => f.id in res.figures);
  } else {
    if (figures.some((f) => f.usesDist)) ensureDist(opts.build);
    res = await runAll(figures, opts.quick);
  }
  const reports = figures.map((f) => f.report(res.figures[f.id]));
  mkdirSync(opts.outDir, { recursive: true });
  const chartPath = join(opts.outDir, "chart.svg");
  writeFileSync(
    chartPath,
    renderChart(reports.flatMap((r) => r.bars ?? []), {
      title: `dms-background-tasks vs official Huawei Cloud SDK vs bare fetch${res.quick ? " (smoke run)" : ""}`,
      subtitle: `Node ${process.version} · ${res.env["CPU"]} · ${res.env["Date"]!.slice(0, 10)} · bars: median, whiskers: p25–p75`,
    }),
  );
  const notesPath = join(ROOT, "bench", "NOTES.md");
  const notes = !res.quick && existsSync(notesPath) ? readFileSync(notesPath, "utf8").replace(/^# .*\n/, "") : "";
  const mdPath = join(opts.outDir, "RESULTS.md");
  writeFileSync(mdPath, renderMarkdown(res, reports, notes));
  if (!opts.render) writeFileSync(jsonPath, JSON.stringify(res, null, 1));

  const targets = reports.flatMap((r) => r.targets ?? []);
  console.log(`\n${res.quick ? "smoke run (--quick): the numbers below are not meaningful\n" : ""}`);
  console.log(table(["Figure", "Target", "Measured", "Met?"], targets.map((t) => [t.figure, t.target, t.value, t.met ? "met" : "MISSED"])));
  console.log(`\nwrote ${relative(process.cwd(), mdPath) || mdPath}, ${relative(process.cwd(), chartPath)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
