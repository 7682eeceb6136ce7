// Global setup of the "contract" project: one Prism mock of generated/openapi.yaml on a free port for
// every contract test file, handed to the tests as `inject("prismUrl")`.
//
// Teardown stops Prism by its PID whatever the tests did (vitest runs the returned function after
// failures too); startPrism() also kills it on process exit, and the signal handlers below cover
// Ctrl-C / SIGTERM of the test run.
import type { TestProject } from "vitest/node";
import { startPrism, type PrismServer } from "../../scripts/prism.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the Prism mock, e.g. `http://127.0.0.1:41234` (no trailing slash). */
    prismUrl: string;
  }
}

const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prism: PrismServer = await startPrism({ port: 0, output: "capture" });

  const onSignal = (signal: NodeJS.Signals) => {
    // Synchronous kill of the whole group: there may be no event loop turn left after this.
    try {
      process.kill(-prism.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
    for (const s of signals) process.removeListener(s, onSignal);
    // Keep the default behaviour (terminate) if nobody else (vitest) handles the signal.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const s of signals) process.on(s, onSignal);

  project.provide("prismUrl", prism.url);

  return async () => {
    for (const s of signals) process.removeListener(s, onSignal);
    await prism.stop();
    if (process.env.PRISM_LOG) console.log(prism.log());
  };
}
