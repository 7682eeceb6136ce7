/**
 * Figure 2: cold start and weight.
 *
 * Cold start: a fresh `node script.mjs` per sample (no loader, no flags, NODE_OPTIONS cleared):
 *   empty     the script with nothing to import: node's own start-up, the baseline
 *   ours      `await import(".../dist/index.js")` (pulls in openapi-fetch)
 *   official  `await import("@huaweicloud/huaweicloud-sdk-kafka")` + `...-sdk-core` (what its
 *             README requires to build a KafkaClient)
 * Two numbers per sample: the import alone, timed inside the child with performance.now(), and
 * the whole process (spawn to exit) timed by the parent. Rounds are interleaved.
 *
 * Weight: the production dependency closure walked in node_modules (dependencies +
 * optionalDependencies + installed peers, resolved like node does), bytes on disk per package.
 */
import { spawnSync, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { DIST_INDEX, ROOT, rotate } from "./common.ts";

export const COLD_VARIANTS = ["empty", "ours", "official"] as const;
export type ColdVariant = (typeof COLD_VARIANTS)[number];

export interface ColdStartConfig {
  rounds: number;
  warmup: number;
}

export interface ColdStartResult {
  /** Per variant, per round: import time measured inside the child (ms). */
  importMs: Record<ColdVariant, number[]>;
  /** Per variant, per round: spawn-to-exit wall time measured by the parent (ms). */
  processMs: Record<ColdVariant, number[]>;
  /** Per variant: modules in require.cache after the import (CommonJS ones only; ESM not listed). */
  cjsModules: Record<ColdVariant, number>;
}

function scripts(dir: string): Record<ColdVariant, string> {
  const req = createRequire(join(ROOT, "package.json"));
  const url = (p: string): string => JSON.stringify(pathToFileURL(p).href);
  const body = (imports: string[]): string =>
    [
      `import { createRequire } from "node:module";`,
      `const t0 = performance.now();`,
      ...imports.map((u) => `await import(${u});`),
      `const t1 = performance.now();`,
      `const cjs = Object.keys(createRequire(import.meta.url).cache).length;`,
      `process.stdout.write(JSON.stringify({ importMs: t1 - t0, cjs }));`,
      "",
    ].join("\n");
  const files: Record<ColdVariant, string> = {
    empty: body([]),
    ours: body([url(DIST_INDEX)]),
    official: body([
      url(req.resolve("@huaweicloud/huaweicloud-sdk-kafka")),
      url(req.resolve("@huaweicloud/huaweicloud-sdk-core")),
    ]),
  };
  const out = {} as Record<ColdVariant, string>;
  for (const v of COLD_VARIANTS) {
    out[v] = join(dir, `${v}.mjs`);
    writeFileSync(out[v], files[v]);
  }
  return out;
}

function runOnce(script: string): { importMs: number; processMs: number; cjs: number } {
  const env = { ...process.env };
  delete env["NODE_OPTIONS"];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [script], { encoding: "utf8", env, cwd: dirname(script) });
  const processMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { importMs: number; cjs: number };
  return { importMs: out.importMs, processMs, cjs: out.cjs };
}

export function measureColdStart(config: ColdStartConfig): ColdStartResult {
  const dir = mkdtempSync(join(tmpdir(), "dms-bench-cold-"));
  try {
    const files = scripts(dir);
    // Warm-up: fill the OS page cache for every file the imports touch.
    for (let i = 0; i < config.warmup; i++) for (const v of COLD_VARIANTS) runOnce(files[v]);
    const importMs = { empty: [], ours: [], official: [] } as Record<ColdVariant, number[]>;
    const processMs = { empty: [], ours: [], official: [] } as Record<ColdVariant, number[]>;
    const cjsModules = { empty: 0, ours: 0, official: 0 } as Record<ColdVariant, number>;
    for (let r = 0; r < config.rounds; r++) {
      for (const v of rotate(COLD_VARIANTS, r)) {
        const s = runOnce(files[v]);
        importMs[v].push(s.importMs);
        processMs[v].push(s.processMs);
        cjsModules[v] = s.cjs;
      }
    }
    return { importMs, processMs, cjsModules };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Weight: installed size of the production dependency closure.

export interface PackageSize {
  name: string;
  version: string;
  files: number;
  bytes: number;
  jsBytes: number;
}

export interface ClosureSize {
  label: string;
  packages: PackageSize[];
  files: number;
  bytes: number;
  jsBytes: number;
}

const JS_RE = /\.(?:c|m)?js$/;

function walk(dir: string, acc: { files: number; bytes: number; jsBytes: number }, skipNodeModules: boolean): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipNodeModules && entry.name === "node_modules") continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, acc, false);
    else if (entry.isFile()) {
      const size = lstatSync(p).size;
      acc.files++;
      acc.bytes += size;
      if (JS_RE.test(entry.name)) acc.jsBytes += size;
    }
  }
}

/** Resolve `name` from `fromDir` the way node does: the nearest node_modules/name upwards. */
function findPackage(name: string, fromDir: string): string | undefined {
  for (let d = fromDir; ; d = dirname(d)) {
    const candidate = join(d, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

interface PkgJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export function closureSize(label: string, rootDirs: string[], extra: PackageSize[] = []): ClosureSize {
  const seen = new Set<string>();
  const packages: PackageSize[] = [...extra];
  const queue = [...rootDirs];
  while (queue.length) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PkgJson;
    const acc = { files: 0, bytes: 0, jsBytes: 0 };
    walk(dir, acc, true);
    packages.push({ name: pkg.name, version: pkg.version, ...acc });
    const deps = { ...pkg.peerDependencies, ...pkg.optionalDependencies, ...pkg.dependencies };
    for (const name of Object.keys(deps)) {
      const found = findPackage(name, dir);
      if (found) queue.push(found);
      else if (pkg.dependencies?.[name]) throw new Error(`${pkg.name}: dependency ${name} not installed`);
    }
  }
  packages.sort((a, b) => b.bytes - a.bytes);
  const sum = (k: "files" | "bytes" | "jsBytes"): number => packages.reduce((s, p) => s + p[k], 0);
  return { label, packages, files: sum("files"), bytes: sum("bytes"), jsBytes: sum("jsBytes") };
}

/** The files `npm pack` would publish for this package, split into dist/ and the rest. */
function ownPackageFiles(): { dist: PackageSize; rest: PackageSize } {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PkgJson;
  let files: { path: string; size: number }[];
  try {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    files = (JSON.parse(out) as { files: { path: string; size: number }[] }[])[0]!.files;
  } catch {
    // No npm on PATH: fall back to dist/ as `files` selects it (*.js, *.d.ts, auth/).
    files = [];
    const add = (dir: string, filter: (n: string) => boolean): void => {
      if (!existsSync(dir)) return;
      for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
        const p = join(e.parentPath ?? e.path, e.name);
        if (e.isFile() && filter(relative(ROOT, p))) files.push({ path: relative(ROOT, p), size: lstatSync(p).size });
      }
    };
    add(join(ROOT, "dist"), (p) => /^dist\/[^/]+\.(js|d\.ts)$/.test(p) || p.startsWith("dist/auth/"));
  }
  const dist = { name: `${pkg.name} dist/`, version: pkg.version, files: 0, bytes: 0, jsBytes: 0 };
  const outside = [...new Set(files.filter((f) => !f.path.startsWith("dist/")).map((f) => f.path.replace(/\/.*$/, "/")))];
  const rest = { name: outside.join(", "), version: pkg.version, files: 0, bytes: 0, jsBytes: 0 };
  for (const f of files) {
    const t = f.path.startsWith("dist/") ? dist : rest;
    t.files++;
    t.bytes += f.size;
    if (JS_RE.test(f.path)) t.jsBytes += f.size;
  }
  return { dist, rest };
}

export interface WeightResult {
  ours: ClosureSize;
  official: ClosureSize;
  /** Published files of ours outside dist/ (OpenAPI documents, types): shipped, never loaded at runtime. */
  oursNonRuntime: PackageSize;
}

export function measureWeight(): WeightResult {
  const { dist, rest } = ownPackageFiles();
  const nm = join(ROOT, "node_modules");
  const ours = closureSize("ours", [join(nm, "openapi-fetch")], [dist]);
  const official = closureSize("official", [
    join(nm, "@huaweicloud", "huaweicloud-sdk-kafka"),
    join(nm, "@huaweicloud", "huaweicloud-sdk-core"),
    // required by core's DefaultUserAgent.js but not declared in its package.json
    join(nm, "uuid"),
  ]);
  return { ours, official, oursNonRuntime: rest };
}
