#!/usr/bin/env node
/**
 * dms-tasks: the command line over the package's public API (it imports only ../index.js and
 * makes no HTTP request of its own). This file wires arguments, the client, signals and exit codes.
 */
import { readFileSync } from "node:fs";
import { createBackgroundTasksClient } from "../index.js";
import { parseCommandLine, type Command } from "./args.js";
import { list, listPlan, type Context } from "./commands.js";
import { clientOptions } from "./config.js";
import { get, progress, remove, wait, waitPlan } from "./lifecycle.js";
import { describeError, exitCodeOf, secretRedactor, EXIT } from "./exit.js";
import { outputFormat } from "./format.js";
import { helpText } from "./help.js";
import type { Terminal } from "./tty.js";

const RUN: Record<Command, (ctx: Context) => Promise<number>> = {
  list,
  get,
  progress,
  wait,
  delete: remove,
};

async function main(argv: string[], term: Terminal): Promise<number> {
  const controller = new AbortController();
  let interrupted = false;
  const interrupt = () => {
    if (interrupted) process.exit(EXIT.interrupted); // a second Ctrl-C: no more waiting
    interrupted = true;
    controller.abort(new DOMException("Interrupted", "AbortError"));
    // Everything listens to the signal; this only backs that up.
    setTimeout(() => process.exit(EXIT.interrupted), 2000).unref();
  };
  process.on("SIGINT", interrupt);
  // `dms-tasks list --all | head`: the reader left, so stop quietly.
  term.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(EXIT.ok);
  });

  let debug = argv.includes("--debug");
  const env = process.env;
  let redact = secretRedactor([env.DMS_TASKS_TOKEN, env.HUAWEICLOUD_SDK_SK, env.HUAWEICLOUD_SDK_SECURITY_TOKEN]);
  try {
    const parsed = parseCommandLine(argv);
    debug = parsed.values.debug === true;
    if (parsed.values.version) {
      term.stdout.write(packageVersion() + "\n");
      return EXIT.ok;
    }
    if (parsed.values.help || parsed.command === undefined) {
      term.stdout.write(helpText(parsed.command) + "\n");
      return EXIT.ok;
    }
    // Every check that needs no network runs before the client exists.
    const format = outputFormat(parsed.values, term.stdout.isTTY === true);
    if (parsed.command === "list") listPlan(parsed.values, Date.now());
    if (parsed.command === "wait") waitPlan(parsed.values);
    const options = await clientOptions(parsed.values, env, term.stdin);
    const c = options.credentials;
    if ("token" in c) redact = secretRedactor([c.token, env.DMS_TASKS_TOKEN, env.HUAWEICLOUD_SDK_SK, env.HUAWEICLOUD_SDK_SECURITY_TOKEN]);
    const client = createBackgroundTasksClient(options);
    if (debug) {
      // After the client's checks, so an endpoint with user info is refused before it is shown.
      const auth = "token" in c ? "IAM token" : `AK/SK (access key ${c.accessKey}${c.securityToken ? ", temporary" : ""})`;
      term.stderr.write(`debug: ${options.endpoint ?? `region ${options.region}`}, project ${options.projectId}, ${auth}\n`);
    }
    const out = (s: string) => void term.stdout.write(s);
    return await RUN[parsed.command]({ client, args: parsed.args, values: parsed.values, format, term, signal: controller.signal, interrupt, out });
  } catch (e) {
    const code = exitCodeOf(e, controller.signal);
    if (code === EXIT.interrupted) term.stderr.write("\ninterrupted\n");
    else term.stderr.write(redact(`error: ${describeError(e)}`) + "\n");
    if (debug && code !== EXIT.interrupted) term.stderr.write(redact(stackOf(e)));
    return code;
  } finally {
    process.removeListener("SIGINT", interrupt);
  }
}

/** The stack and up to three levels of `cause` (the library's causes are sanitised copies). */
function stackOf(e: unknown, depth = 0): string {
  if (!(e instanceof Error) || depth > 3) return "";
  const cause = e.cause === undefined ? "" : "caused by: " + stackOf(e.cause, depth + 1);
  return `${e.stack ?? e.message}\n${cause}`;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
