/**
 * Figure 3: installed weight. The production dependency closure walked in node_modules
 * (dependencies + optionalDependencies + installed peers, resolved like node does), bytes on disk
 * per package directory (without nested node_modules). Ours = dist/ as `npm pack` publishes it +
 * openapi-fetch and its dependency; official = the Kafka SDK + core + their dependencies + uuid
 * (required by the core but not declared).
 */
import { execFileSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ROOT } from "./common.ts";
import { table, type Figure } from "./figure.ts";
import { fmt, fmtBytes } from "./stats.ts";

export interface PackageSize {
  name: string;
  version: string;
  files: number;
  bytes: number;
}

export type ClosureSize = { label: string; packages: PackageSize[] } & Pick<PackageSize, "files" | "bytes">;

function walk(dir: string, acc: { files: number; bytes: number }, skipNodeModules: boolean): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skipNodeModules && entry.name === "node_modules") continue;
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, acc, false);
    else if (entry.isFile()) {
      acc.files++;
      acc.bytes += lstatSync(p).size;
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

type Deps = Record<string, string> | undefined;
type PkgJson = { name: string; version: string; dependencies: Deps; optionalDependencies: Deps; peerDependencies: Deps };

export function closureSize(label: string, rootDirs: string[], extra: PackageSize[] = []): ClosureSize {
  const seen = new Set<string>();
  const packages: PackageSize[] = [...extra];
  const queue = [...rootDirs];
  while (queue.length) {
    const dir = queue.shift()!;
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PkgJson;
    const acc = { files: 0, bytes: 0 };
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
  const sum = (k: "files" | "bytes"): number => packages.reduce((s, p) => s + p[k], 0);
  return { label, packages, files: sum("files"), bytes: sum("bytes") };
}

/** The files `npm pack` would publish, split into dist/ and the rest. */
function ownPackageFiles(): { dist: PackageSize; rest: PackageSize } {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PkgJson;
  const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const files = (JSON.parse(out) as { files: { path: string; size: number }[] }[])[0]!.files;
  const dist = { name: `${pkg.name} dist/`, version: pkg.version, files: 0, bytes: 0 };
  const outside = [...new Set(files.filter((f) => !f.path.startsWith("dist/")).map((f) => f.path.replace(/\/.*$/, "/")))];
  const rest = { name: outside.join(", "), version: pkg.version, files: 0, bytes: 0 };
  for (const f of files) {
    const t = f.path.startsWith("dist/") ? dist : rest;
    t.files++;
    t.bytes += f.size;
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
  // Our closure starts from every runtime dependency package.json declares (openapi-fetch, and
  // csv-stringify for the dms-tasks command), so a new dependency is counted without an edit here.
  const own = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PkgJson;
  const ours = closureSize("ours", Object.keys(own.dependencies ?? {}).map((name) => join(nm, name)), [dist]);
  const official = closureSize("official", [
    join(nm, "@huaweicloud", "huaweicloud-sdk-kafka"),
    join(nm, "@huaweicloud", "huaweicloud-sdk-core"),
    // required by core's DefaultUserAgent.js but not declared in its package.json
    join(nm, "uuid"),
  ]);
  return { ours, official, oursNonRuntime: rest };
}

function packageRows(c: ClosureSize, limit: number): string[][] {
  const row = (name: string, ps: PackageSize[]): string[] => [
    name,
    String(ps.reduce((s, p) => s + p.files, 0)),
    fmtBytes(ps.reduce((s, p) => s + p.bytes, 0)),
  ];
  const rows = c.packages.slice(0, limit).map((p) => row(`\`${p.name}\` ${p.version}`, [p]));
  if (c.packages.length > limit) rows.push(row(`${c.packages.length - limit} more packages`, c.packages.slice(limit)));
  rows.push(row(`**total** (${c.packages.length} entries)`, c.packages));
  return rows;
}

export const figure: Figure<WeightResult> = {
  id: "weight",
  run: async () => measureWeight(),
  report(w) {
    const ratio = w.ours.bytes / w.official.bytes;
    return {
      bars: [{ group: "2 · Cold start and weight", label: "installed size: ours / official", ratio, target: 1 / 5 }],
      targets: [{ figure: "Installed size", target: "ours ≤ 1/5 of official (≤ 0.2)", value: fmt(ratio), met: ratio <= 1 / 5 }],
      summary: [["Installed runtime deps", `${fmtBytes(w.ours.bytes)} (${w.ours.packages.length - 1} pkgs + dist)`, `${fmtBytes(w.official.bytes)} (${w.official.packages.length} pkgs)`, "—", `${fmt(ratio)}×`]],
      section: [
        "## 3. Installed weight",
        "",
        "The production dependency closure in `node_modules` (dependencies, optional and installed peer dependencies, " +
          "resolved like Node does; bytes on disk per package directory). Ours = `dist/` as published (`npm pack --dry-run`) " +
          "+ its runtime dependencies (`openapi-fetch` and its own, `csv-stringify` for the command line); the default transport is node:http, nothing to install. Official = " +
          "`huaweicloud-sdk-kafka` + `-core` + their dependencies + `uuid` (required by the core but not declared). " +
          `Not counted: ${fmtBytes(w.oursNonRuntime.bytes)} in ${w.oursNonRuntime.files} files we publish but never load (${w.oursNonRuntime.name}).`,
        "",
        table(["Ours", "files", "on disk"], packageRows(w.ours, 10)),
        "",
        table(["Official SDK", "files", "on disk"], packageRows(w.official, 8)),
      ],
    };
  },
};
