// `npm run mock`: a Prism mock of generated/openapi.yaml on http://127.0.0.1:4010 (static examples,
// request validation on) until Ctrl-C. Options: --port <n> (0 = any free port), --host <h>, --dynamic.
//
//   curl -H 'X-Auth-Token: t' 'http://127.0.0.1:4010/v2/p/instances/i/tasks?limit=10'            # 200, the reference page's example
//   curl -H 'X-Auth-Token: t' 'http://127.0.0.1:4010/v2/p/instances/i/tasks?limit=0'             # 400, the spec's BadRequest example
//   curl -H 'X-Auth-Token: t' -H 'Prefer: code=404' 'http://127.0.0.1:4010/v2/p/instances/i/tasks' # 404, DMS.00404022
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

// Prism runs in its own process group, so a terminal's Ctrl-C reaches only this process: forward it.
let stopping = false;
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    if (stopping) return; // a second Ctrl-C while stopping: stop() escalates to SIGKILL by itself
    stopping = true;
    console.log(`\nmock: ${signal}, stopping Prism (pid ${server.pid})…`);
    void server.stop().then(() => process.exit(signal === "SIGINT" ? 130 : 143));
  });
}

// Prism dying on its own (crash, killed from outside) ends the mock with its exit status.
const code = await server.exited;
if (!stopping) {
  console.error(`mock: Prism exited unexpectedly (${String(code)})`);
  process.exit(typeof code === "number" && code !== 0 ? code : 1);
}
