/**
 * Figure 2: cold start. A fresh `node script.mjs` per sample (no loader, no flags, NODE_OPTIONS cleared):
 *   empty     the script with nothing to import: node's own start-up, the baseline
 *   ours      `await import(".../dist/index.js")` (pulls in openapi-fetch)
 *   official  `await import("@huaweicloud/huaweicloud-sdk-kafka")` + `...-sdk-core` (what its
 *             README requires to build a KafkaClient)
 * Two numbers per sample: the import alone, timed inside the child with performance.now(), and
 * the whole process (spawn to exit) timed by the parent. Rounds are interleaved.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { DIST_INDEX, ROOT, rotate } from "./common.ts";
import { ratioBar, spread, table, type Figure } from "./figure.ts";
import { fmt, pairedRatios, summarize } from "./stats.ts";

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

export const figure: Figure<ColdStartResult> = {
  id: "cold",
  usesDist: true,
  run: async (ctx) => measureColdStart(ctx.quick ? { warmup: 1, rounds: 2 } : { warmup: 3, rounds: 20 }),
  report(c) {
    const g = "2 · Cold start and weight";
    const net = (v: ColdVariant): number[] => c.processMs[v].map((ms, i) => ms - c.processMs.empty[i]!);
    const imp = ratioBar(g, "import time: ours / official", pairedRatios(c.importMs.ours, c.importMs.official), 1 / 8);
    const med = (v: ColdVariant): string => `${fmt(summarize(c.importMs[v]).median)} ms`;
    return {
      bars: [imp, ratioBar(g, "process time − empty node: ours / official", pairedRatios(net("ours"), net("official")))],
      targets: [{ figure: "Cold import", target: "ours ≤ 1/8 of official (≤ 0.125)", value: fmt(imp.median), met: imp.median <= 1 / 8 }],
      summary: [["Cold import (ms, in-process)", med("ours"), med("official"), `empty script: process ${fmt(summarize(c.processMs.empty).median)} ms`, `${fmt(imp.median)}× official`]],
      section: [
        "## 2. Cold start",
        "",
        "A fresh `node x.mjs` per sample (no flags, no loader): `empty` imports nothing, `ours` imports `dist/index.js`, " +
          "`official` imports `@huaweicloud/huaweicloud-sdk-kafka` and `-core` (both are needed to build a client). " +
          `${c.importMs.empty.length} interleaved rounds after warm-up runs. *Import* is timed inside the child with ` +
          "`performance.now()`; *process* is spawn-to-exit, timed by the parent.",
        "",
        table(
          ["Variant", "import (ms), median (p25–p75)", "process (ms), median (p25–p75)", "process − empty (ms)", "CommonJS modules loaded"],
          COLD_VARIANTS.map((v) => [
            v,
            v === "empty" ? "—" : spread(c.importMs[v]),
            spread(c.processMs[v]),
            v === "empty" ? "—" : fmt(summarize(net(v)).median),
            String(c.cjsModules[v]),
          ]),
        ),
      ],
    };
  },
};
