// Starts and stops a Prism mock of generated/openapi.yaml. One implementation for every user:
// `npm run mock` (scripts/mock.ts), the contract tests' global setup, the benchmark and the README.
//
// - Prism is started from node_modules/.bin/prism with the running Node (never `npx`, which may
//   try the network), in its own process group, so stop() can end it and anything it spawns.
// - Readiness is checked by polling with TCP connections (no request, so Prism logs nothing for it).
// - Prism ignores `servers`: the mock answers at `<url>/v2/{project_id}/instances/{instance_id}/tasks`.
// - Static examples by default (the first example of a response), request validation on
//   (a request the spec forbids gets the spec's 400 response: Prism answers with the declared
//   400, and only falls back to its own 422 problem+json when no 400/422 response is declared).
//   `Prefer: code=404` and `Prefer: example=SeveralTasks` request headers pick other responses.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { connect, createServer } from "node:net";
import { root } from "./run-bin.ts";

export interface PrismOptions {
  /** Port to listen on; `0` picks a free one. Default 4010, the Prism default. */
  port?: number;
  /** Default 127.0.0.1 (loopback only). */
  host?: string;
  /** OpenAPI document, relative to the project root or absolute. Default generated/openapi.yaml. */
  document?: string;
  /** Generate responses from the schemas (json-schema-faker) instead of using the examples. */
  dynamic?: boolean;
  /** Seed for dynamic responses, to make them reproducible. */
  seed?: string;
  /** Prism's `--errors`: a response that violates the spec becomes an error response. */
  errors?: boolean;
  /** Where Prism's log goes: the terminal (`inherit`) or an in-memory buffer (`capture`, default). */
  output?: "inherit" | "capture";
  /** How long to wait for Prism to listen, in ms. Default 60 s (Prism takes 3–10 s on 2 cores). */
  readyTimeoutMs?: number;
}

export interface PrismServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** PID of the Prism process (also its process group id). */
  readonly pid: number;
  /** Prism's log so far (empty with `output: "inherit"`). */
  log(): string;
  /** Resolves with the exit code (or signal name) once the Prism process has ended. */
  readonly exited: Promise<number | string | null>;
  /** SIGTERM to the process group, SIGKILL after a grace period; resolves once Prism is gone. Idempotent. */
  stop(): Promise<void>;
}

export const prismBin = `${root}node_modules/.bin/prism`;

/** The `prism mock` arguments for the given options (exported so the README/benchmark can show them). */
export function prismArgs(options: PrismOptions & { port: number }): string[] {
  const args = [
    "mock",
    options.document ?? "generated/openapi.yaml",
    "--host",
    options.host ?? "127.0.0.1",
    "--port",
    String(options.port),
  ];
  if (options.dynamic) args.push("--dynamic");
  if (options.seed !== undefined) args.push("--seed", options.seed);
  if (options.errors) args.push("--errors");
  return args;
}

/** Finds a free TCP port by listening on port 0 and closing the socket again. */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  server.unref();
  server.listen(0, host);
  await once(server, "listening");
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("could not read the port of a probe socket");
  const { port } = address;
  await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  return port;
}

/** Whether something accepts TCP connections on host:port. */
export async function isPortInUse(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends a signal to the process group of `pid` (falls back to the process alone); ignores "no such process". */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, signal);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ESRCH") continue;
      throw err;
    }
  }
}

/** Starts Prism and resolves once it answers HTTP requests. Rejects (and cleans up) if it exits or times out. */
export async function startPrism(options: PrismOptions = {}): Promise<PrismServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port === 0 ? await findFreePort(host) : (options.port ?? 4010);
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  const capture = (options.output ?? "capture") === "capture";

  if (await isPortInUse(port, host)) {
    throw new Error(`port ${host}:${port} is already in use (another Prism? check \`ps aux | grep -i prism\`)`);
  }

  const child: ChildProcess = spawn(process.execPath, [prismBin, ...prismArgs({ ...options, host, port })], {
    cwd: root,
    // Own process group: Ctrl-C in a terminal does not reach Prism directly, the owner forwards it,
    // and stop() can signal the whole group.
    detached: true,
    stdio: capture ? ["ignore", "pipe", "pipe"] : ["ignore", "inherit", "inherit"],
    env: {
      ...process.env,
      REDOCLY_TELEMETRY: "off",
      REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
      SCARF_ANALYTICS: "false",
      ...(capture ? { NO_COLOR: "1" } : {}),
    },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${prismBin}`);

  let logText = "";
  const append = (chunk: Buffer) => {
    logText += chunk.toString("utf8");
    if (logText.length > 200_000) logText = logText.slice(-100_000);
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);

  let hasExited = false;
  const exited = new Promise<number | string | null>((resolve) => {
    child.once("exit", (code, signal) => {
      hasExited = true;
      process.removeListener("exit", killOnExit);
      resolve(code ?? signal);
    });
    child.once("error", () => {
      hasExited = true;
      resolve(null);
    });
  });
  // Last resort: never leave Prism behind when the owner exits without calling stop().
  function killOnExit() {
    if (!hasExited) killGroup(pid!, "SIGKILL");
  }
  process.once("exit", killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!hasExited) {
        killGroup(pid, "SIGTERM");
        const timeout = sleep(5_000).then(() => "timeout" as const);
        if ((await Promise.race([exited, timeout])) === "timeout" && !hasExited) {
          killGroup(pid, "SIGKILL");
          await exited;
        }
      }
      // Prism may have spawned children in its group; make sure none survive it.
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        /* group already gone */
      }
      process.removeListener("exit", killOnExit);
    })();
    return stopping;
  };

  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (hasExited) {
      await stop();
      throw new Error(`Prism exited before it was ready (code ${String(await exited)}):\n${logText}`);
    }
    // A TCP connection, no HTTP request: Prism listens only once the document is loaded and its
    // routes are set up, and a bare connection leaves nothing in its log (a request would).
    if (await isPortInUse(port, host)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Prism did not answer on ${url} within ${readyTimeoutMs} ms:\n${logText}`);
    }
    await sleep(150);
  }

  return { url, host, port, pid, exited, stop, log: () => logText };
}
