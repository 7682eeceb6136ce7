// The package as a user gets it: `npm pack`, the tarball installed into a fresh project offline (from
// the local npm cache), then used from ESM, CommonJS and TypeScript (nodenext ESM, nodenext CommonJS,
// bundler), its bin run when it declares one, and finally `npm install git+file://` of a fresh clone,
// which must build dist/ through the `prepare` script.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../../scripts/run-bin.ts";

const run = promisify(execFile);
const fixtures = join(root, "test/package/fixtures");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { name: string; version: string; bin?: unknown };
// The package itself never comes from a registry; its dependencies come from the local npm cache
// (filled by `npm ci` here), which npm asks the registry about only for what it has never seen.
const npmFlags = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
// The environment of a user's shell, not of the `npm test` that runs this file.
const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_(config|package|lifecycle)_/i.test(key)));

let work = "";
let tarball = "";
let consumer = "";
let gitInstall: Promise<unknown> | undefined;

async function sh(cmd: string, args: string[], cwd: string) {
  return run(cmd, args, { cwd, env, maxBuffer: 16 << 20, timeout: 170_000 });
}

/** Runs a consumer file with the Node that runs the tests (so the Node 22/24 CI runs test those lines). */
async function node(file: string, cwd = consumer): Promise<Record<string, unknown>> {
  const { stdout } = await sh(process.execPath, [file], cwd);
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as Record<string, unknown>;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "dms-package-"));

  // The git install is the slow half (npm installs the clone's devDependencies to run `prepare`):
  // start it first and let it run while the tarball is checked.
  const gitConsumer = join(work, "git-consumer");
  mkdirSync(gitConsumer);
  writeFileSync(join(gitConsumer, "package.json"), JSON.stringify({ name: "git-consumer", private: true }));
  gitInstall = (async () => {
    const clone = join(work, "clone");
    await sh("git", ["clone", "--quiet", "--no-hardlinks", root, clone], work);
    await sh("npm", ["install", ...npmFlags, `git+file://${clone}`], gitConsumer);
    cpSync(join(fixtures, "use.mjs"), join(gitConsumer, "use.mjs"));
    return node("use.mjs", gitConsumer);
  })();
  gitInstall.catch(() => {}); // awaited (and reported) by its own test

  // --ignore-scripts: dist/ is already built (`npm run build`), and `prepare` rewriting it here could
  // race the other test files that import it. The git install below runs `prepare` in its clone.
  const { stdout } = await sh("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work, "--loglevel=error"], root);
  const [packed] = JSON.parse(stdout) as [{ filename: string }];
  tarball = join(work, packed.filename);

  consumer = join(work, "consumer");
  mkdirSync(consumer);
  writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  await sh("npm", ["install", ...npmFlags, tarball], consumer);
  for (const file of ["use.mjs", "use.cjs"]) cpSync(join(fixtures, file), join(consumer, file));
}, 180_000);

afterAll(async () => {
  await gitInstall?.catch(() => {});
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed tarball", () => {
  it("holds what a user needs, including every image the README links, and nothing of the build", async () => {
    const { stdout } = await sh("tar", ["-tzf", tarball], work);
    const files = stdout.split("\n").filter(Boolean).map((f) => f.replace(/^package\//, ""));
    for (const file of ["package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "generated/schema.d.ts", "generated/openapi.json"]) {
      expect(files).toContain(file);
    }
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map(([, src]) => src!);
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) expect(files, `README image ${image}`).toContain(image);
    expect(files.filter((f) => /^(test|scripts|spec|bench\/.*\.ts|dist\/docs)\b/.test(f))).toEqual([]);
  });

  it("runs from an ES module", async () => {
    expect(await node("use.mjs")).toEqual({ name: pkg.name, taskCount: "0", invalid: true });
  });

  it("runs from a CommonJS module (require of the ES module package)", async () => {
    expect(await node("use.cjs")).toEqual({ name: pkg.name, taskCount: "0", invalid: true });
  });

  const setups = {
    "nodenext, ES module": { type: "module", compilerOptions: { module: "nodenext", moduleResolution: "nodenext" } },
    "nodenext, CommonJS": { type: "commonjs", compilerOptions: { module: "nodenext", moduleResolution: "nodenext" } },
    bundler: { type: "module", compilerOptions: { module: "esnext", moduleResolution: "bundler" } },
  } as const;

  it.each(Object.entries(setups))("compiles with tsc (%s) using the public and schema types, and runs", async (name, setup) => {
    const dir = join(consumer, name.replace(/\W+/g, "-"));
    mkdirSync(dir);
    // Its own package.json sets the module kind; node_modules is found in the parent directory.
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: setup.type }));
    cpSync(join(fixtures, "consumer.ts"), join(dir, "consumer.ts"));
    const compilerOptions = { ...setup.compilerOptions, target: "es2022", lib: ["es2023", "dom"], types: [], strict: true, outDir: "out" };
    writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: ["consumer.ts"] }));
    await sh(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", dir], dir);
    expect(await node(join(dir, "out/consumer.js"), dir)).toEqual({
      method: "get",
      sentUrl: "https://dms.example.test/v2/0123456789abcdef0123456789abcdef/instances/inst-1/tasks?limit=1",
      taskCount: "1",
      invalid: "DmsValidationError",
    });
  });

  const bin = pkg.bin === undefined ? "skipped: package.json declares no bin yet" : "declared";
  it.skipIf(pkg.bin === undefined)(`runs its bin with npx (${bin})`, async () => {
    const { stdout } = await sh("npx", ["--offline", "dms-tasks", "--version"], consumer);
    expect(stdout).toContain(pkg.version);
  });
});

describe("npm install git+file:// of a fresh clone", () => {
  it("builds dist/ with the prepare script and imports", async () => {
    expect(await gitInstall).toEqual({ name: pkg.name, taskCount: "0", invalid: true });
  }, 180_000);
});
