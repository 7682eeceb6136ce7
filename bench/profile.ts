/**
 * CPU profile of one client variant making sequential calls against the bench server, with a
 * summary of where the time goes (self time per function, and per package/file).
 *
 *   npx tsx bench/profile.ts [ours|official|fetch|fetch+signer] [calls=5000] [--page=100]
 *
 * Starts its own server process, forks `node --cpu-prof` running the calls, then reads the
 * .cpuprofile it wrote (kept in a temp directory, path printed; open it in Chrome DevTools).
 * `--page=N` profiles pages of N tasks of the generated dataset instead of the reference page.
 */
import { fork } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { BENCH_AK, BENCH_PROJECT_ID, BENCH_SK, REFERENCE_INSTANCE, datasetInstance } from "./server.ts";
import { createOfficialClient, createOurClient, loadOfficial, ROOT, startServerProcess, TSX_IMPORT } from "./common.ts";
import { formatSdkDate, signRequest } from "../src/auth/signer.ts";

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

function summarizeProfile(file: string, top = 25): void {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i]!, (self.get(p.samples[i]!) ?? 0) + (p.timeDeltas[i] ?? 0));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fnSelf = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  const where = (url: string): string => {
    if (!url) return "(native/V8)";
    const path = url.startsWith("file://") ? fileURLToPath(url) : url;
    const nm = path.lastIndexOf("node_modules/");
    if (nm >= 0) {
      const rest = path.slice(nm + 13).split("/");
      return rest[0]!.startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0]!;
    }
    if (path.startsWith("node:")) return path;
    return relative(ROOT, path);
  };
  for (const [id, t] of self) {
    const n = byId.get(id)!;
    const f = n.callFrame;
    const key = `${f.functionName || "(anonymous)"}  ${where(f.url)}${f.url ? ":" + (f.lineNumber + 1) : ""}`;
    fnSelf.set(key, (fnSelf.get(key) ?? 0) + t);
    const file = where(f.url);
    fileSelf.set(file, (fileSelf.get(file) ?? 0) + t);
  }
  // Inclusive time: each sample charged once to every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fnIncl = new Map<string, number>();
  for (const [id, t] of self) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const f = byId.get(cur)!.callFrame;
      if (!f.url) continue;
      const key = `${f.functionName || "(anonymous)"}  ${where(f.url)}:${f.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      fnIncl.set(key, (fnIncl.get(key) ?? 0) + t);
    }
  }
  const pct = (t: number): string => ((100 * t) / total).toFixed(1).padStart(5) + " %";
  console.log(`\nself time by package / file (total ${(total / 1000).toFixed(0)} ms sampled):`);
  for (const [k, t] of [...fileSelf].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${pct(t)}  ${k}`);
  console.log(`\ntop ${top} functions by self time:`);
  for (const [k, t] of [...fnSelf].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
  console.log(`\ntop ${top} functions by inclusive time (JS frames; startup included):`);
  for (const [k, t] of [...fnIncl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t)}  ${k}`);
}

async function child(variant: string, url: string, calls: number, page: number): Promise<void> {
  const instanceId = page ? datasetInstance(page * 10) : REFERENCE_INSTANCE;
  const limit = page || 10;
  let call: () => Promise<unknown>;
  if (variant === "ours") {
    const c = await createOurClient(url);
    call = () => c.listBackgroundTasks({ instanceId, start: 1, limit });
  } else if (variant === "official") {
    const c = createOfficialClient(url);
    const { kafka } = loadOfficial();
    call = () => c.listBackgroundTasks(new kafka.ListBackgroundTasksRequest().withInstanceId(instanceId).withStart(1).withLimit(limit));
  } else if (variant === "fetch") {
    call = async () => (await fetch(`${url}/v2/${BENCH_PROJECT_ID}/instances/${instanceId}/tasks?start=1&limit=${limit}`)).json();
  } else {
    const host = new URL(url).host;
    call = async () => {
      const target = new URL(`${url}/v2/${BENCH_PROJECT_ID}/instances/${instanceId}/tasks?start=1&limit=${limit}`);
      const signed = { host, "x-project-id": BENCH_PROJECT_ID, "x-sdk-date": formatSdkDate(new Date()) };
      const authorization = signRequest({ method: "GET", url: target, headers: signed }, { accessKey: BENCH_AK, secretKey: BENCH_SK });
      return (await fetch(target, { headers: { ...signed, accept: "application/json", authorization } })).json();
    };
  }
  for (let i = 0; i < 300; i++) await call();
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) await call();
  console.log(`${variant}: ${(((performance.now() - t0) * 1000) / calls).toFixed(0)} µs/call over ${calls} calls (profiler on)`);
}

const args = process.argv.slice(2);
if (args[0] === "--child") {
  await child(args[1]!, args[2]!, Number(args[3]), Number(args[4]));
} else {
  const variant = args.find((a) => !a.startsWith("--") && Number.isNaN(Number(a))) ?? "ours";
  const calls = Number(args.find((a) => /^\d+$/.test(a)) ?? 5000);
  const page = Number(args.find((a) => a.startsWith("--page="))?.slice(7) ?? 0);
  const server = await startServerProcess();
  const dir = mkdtempSync(join(tmpdir(), "dms-bench-prof-"));
  try {
    await new Promise<void>((resolve, reject) => {
      const c = fork(fileURLToPath(import.meta.url), ["--child", variant, server.url, String(calls), String(page)], {
        cwd: ROOT,
        execArgv: ["--import", TSX_IMPORT, "--cpu-prof", `--cpu-prof-dir=${dir}`],
        stdio: "inherit",
      });
      c.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`profile child exited ${code}`))));
    });
  } finally {
    await server.stop();
  }
  // One profile per thread (tsx's loader runs in a worker); the main thread's has thread id 0.
  const profiles = readdirSync(dir).filter((f) => f.endsWith(".cpuprofile"));
  const file = join(dir, profiles.find((f) => /\.0\.\d+\.cpuprofile$/.test(f)) ?? profiles[0]!);
  console.log(`profile: ${file}`);
  summarizeProfile(file);
}
