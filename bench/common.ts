/**
 * Shared plumbing: paths, the three clients under test, and child-process helpers.
 *
 * A figure that measures in a child (`latency.ts`, `pagination.ts`, `signing.ts`), run as a
 * script, reads its JSON config from argv[2] and sends the result back over IPC (runIfMain), so
 * each measurement gets a fresh V8 heap and JIT state.
 */
import { fork, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { join } from "node:path";
import { BENCH_AK, BENCH_PROJECT_ID, BENCH_SK } from "./server.ts";
import type * as OurPackage from "../src/index.ts";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const BENCH_DIR = join(ROOT, "bench");
export const DIST_INDEX = join(ROOT, "dist", "index.js");

/** tsx's ESM loader, so forked children can run the .ts figure modules. */
export const TSX_IMPORT = import.meta.resolve("tsx");

const requireFromRoot = createRequire(join(ROOT, "package.json"));

// The official SDK (CommonJS), and our package as users get it (the compiled dist/index.js).

export type OfficialKafka = typeof import("@huaweicloud/huaweicloud-sdk-kafka");
export type OfficialCore = typeof import("@huaweicloud/huaweicloud-sdk-core");
export type OfficialSigner = typeof import("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner.js").AKSKSigner;

/** `AKSKSigner` is not re-exported by the core's entry point; its module path is stable. */
export const loadOfficialSigner = (): OfficialSigner =>
  (requireFromRoot("@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner") as { AKSKSigner: OfficialSigner }).AKSKSigner;

export const loadOfficial = (): { kafka: OfficialKafka; core: OfficialCore } => ({
  core: requireFromRoot("@huaweicloud/huaweicloud-sdk-core") as OfficialCore,
  kafka: requireFromRoot("@huaweicloud/huaweicloud-sdk-kafka") as OfficialKafka,
});

/**
 * KafkaClient as its README builds it. No proxy, no agent option: axios then uses node's
 * `http.globalAgent`, which keeps connections alive by default since Node 19.
 */
export function createOfficialClient(endpoint: string): InstanceType<OfficialKafka["KafkaClient"]> {
  const { kafka, core } = loadOfficial();
  const credentials = new core.BasicCredentials().withAk(BENCH_AK).withSk(BENCH_SK).withProjectId(BENCH_PROJECT_ID);
  return kafka.KafkaClient.newBuilder().withCredential(credentials).withEndpoint(endpoint).build();
}

export type Ours = typeof OurPackage;

export async function loadOurs(): Promise<Ours> {
  if (!existsSync(DIST_INDEX)) throw new Error(`${DIST_INDEX} is missing: run \`npx tsc -p tsconfig.build.json\` (run.ts does it)`);
  return (await import(pathToFileURL(DIST_INDEX).href)) as Ours;
}

export async function createOurClient(endpoint: string): Promise<ReturnType<Ours["createBackgroundTasksClient"]>> {
  const credentials = { accessKey: BENCH_AK, secretKey: BENCH_SK };
  return (await loadOurs()).createBackgroundTasksClient({ endpoint, projectId: BENCH_PROJECT_ID, credentials });
}

// ---------------------------------------------------------------------------------------------
// Child processes.

/** When the module at `moduleUrl` is the entry script: run `main(config)`, send the result over IPC. */
export function runIfMain<C, R>(moduleUrl: string, main: (config: C) => Promise<R>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  const reply = (msg: { ok: boolean; result?: R; error?: string }): void => {
    if (process.send) process.send(msg, () => process.exit(msg.ok ? 0 : 1));
    else console.log(JSON.stringify(msg, null, 2)); // run by hand: print
  };
  main(JSON.parse(process.argv[2] ?? "{}") as C).then(
    (result) => reply({ ok: true, result }),
    (error: unknown) => reply({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
}

const forkTs = (script: string, args: string[], nodeFlags: string[] = []): ChildProcess =>
  fork(join(BENCH_DIR, script), args, {
    cwd: ROOT,
    execArgv: ["--import", TSX_IMPORT, ...nodeFlags],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, NODE_OPTIONS: "" },
  });

/**
 * Fork `bench/<script>` (tsx loader + `nodeFlags`) with `config` as argv[2]; resolve with its result.
 * A child that sends nothing within `timeoutMs` (default 10 minutes) is killed, so a hung
 * measurement fails the run instead of hanging it.
 */
export function runChild<R>(script: string, config: unknown, options: { nodeFlags?: string[]; timeoutMs?: number } = {}): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const child = forkTs(script, [JSON.stringify(config)], options.nodeFlags);
    const timeoutMs = options.timeoutMs ?? 10 * 60_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${script} sent no result within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once("message", (msg: { ok: boolean; result?: R; error?: string }) =>
      msg.ok ? resolve(msg.result as R) : reject(new Error(`${script} failed:\n${msg.error}`)),
    );
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (code ${code}, signal ${signal}) without a result`));
    });
  });
}

/** Fork the server as its own process; resolves with its URL and a stop function. */
export function startServerProcess(): Promise<{ url: string; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = forkTs("server.ts", []);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`bench server exited early (code ${code})`)));
    child.once("message", (msg: { url: string }) => {
      child.removeAllListeners("exit");
      resolve({
        url: msg.url,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.disconnect();
            setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
          }),
      });
    });
  });
}

/** Server control endpoints (not counted as API requests). */
export async function serverControl(url: string, path: string): Promise<Record<string, unknown>> {
  const res = await fetch(url + path);
  return (await res.json()) as Record<string, unknown>;
}

export function gcIfExposed(): void {
  const g = (globalThis as { gc?: () => void }).gc;
  if (g) {
    g();
    g();
  }
}

/** Rotate `items` by `k` so each variant takes every position in turn across rounds. */
export function rotate<T>(items: readonly T[], k: number): T[] {
  const n = items.length;
  const s = ((k % n) + n) % n;
  return [...items.slice(s), ...items.slice(0, s)];
}
