// `npm run mock`: a Prism mock of generated/openapi.yaml on http://127.0.0.1:4010 (static examples,
// request validation on) until Ctrl-C. Options: --port <n> (0 = any free port), --host <h>, --dynamic.
//
//   curl -H 'X-Auth-Token: t' 'http://127.0.0.1:4010/v2/p/instances/i/tasks?limit=10'            # 200, the reference page's example
//   curl -H 'X-Auth-Token: t' 'http://127.0.0.1:4010/v2/p/instances/i/tasks?limit=0'             # 400, the spec's BadRequest example
//   curl -H 'X-Auth-Token: t' -H 'Prefer: code=404' 'http://127.0.0.1:4010/v2/p/instances/i/tasks' # 404, DMS.00404022
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startPrism } from "./prism.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PRISM_PORT ?? "4010" },
    host: { type: "string", default: process.env.PRISM_HOST ?? "127.0.0.1" },
    dynamic: { type: "boolean", default: false },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`mock: invalid --port ${values.port}`);
  process.exit(2);
}

let prism;
try {
  prism = await startPrism({ port, host: values.host, dynamic: values.dynamic, output: "inherit" });
} catch (err) {
  console.error(`mock: ${(err as Error).message}`);
  process.exit(1);
}
const server = prism;

console.log(`\nmock: Prism (pid ${server.pid}) serves generated/openapi.yaml at ${server.url}; Ctrl-C stops it.`);
console.log(`mock: try  curl -H 'X-Auth-Token: t' '${server.url}/v2/p/instances/i/tasks?limit=10'\n`);

// Prism runs in its own process group, so a terminal's Ctrl-C reaches only this process (and npm,
// which forwards SIGINT/SIGTERM to it: `npm run mock` execs node, no shell or tsx process between).
let stopping = false;
function stopMock(reason: string, exitCode: number): void {
  if (stopping) return; // a second Ctrl-C while stopping: stop() escalates to SIGKILL by itself
  stopping = true;
  console.log(`\nmock: ${reason}, stopping Prism (pid ${server.pid})…`);
  void server.stop().then(() => process.exit(exitCode));
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => stopMock(signal, signal === "SIGINT" ? 130 : 143));
}

// A parent that dies without a signal reaching us (npm or its launcher SIGKILLed) must not leave
// the mock behind: watch our parent and, under npm, npm's parent; either being re-parented means
// the process that owned us is gone.
const watched = [{ pid: process.pid, parent: process.ppid }];
if (process.env.npm_lifecycle_event === "mock") {
  const npmParent = parentOf(process.ppid);
  if (npmParent !== undefined) watched.push({ pid: process.ppid, parent: npmParent });
}
setInterval(() => {
  const orphaned = watched.some(({ pid, parent }) => (pid === process.pid ? process.ppid : parentOf(pid)) !== parent);
  if (orphaned) stopMock("parent process ended", 129);
}, 250).unref();

/** The parent PID of `pid` from /proc (undefined once the process is gone or without /proc). */
function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined;
  }
}

// Prism dying on its own (crash, killed from outside) ends the mock with its exit status.
const code = await server.exited;
if (!stopping) {
  console.error(`mock: Prism exited unexpectedly (${String(code)})`);
  process.exit(typeof code === "number" && code !== 0 ? code : 1);
}
