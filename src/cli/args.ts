/**
 * Command-line parsing with node:util parseArgs. Two strict passes: the first with every
 * option of every command (an unknown flag is reported as such), the second with the options
 * of the command found (a flag of another command is reported as not valid here).
 */
import { parseArgs } from "node:util";
import { UsageError } from "./usage.js";

type OptionSpec = { type: "string" | "boolean"; short?: string };

const GLOBAL: Record<string, OptionSpec> = {
  region: { type: "string" },
  endpoint: { type: "string" },
  "project-id": { type: "string" },
  "timeout-ms": { type: "string" },
  retries: { type: "string" },
  "token-stdin": { type: "boolean" },
  output: { type: "string", short: "o" },
  debug: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
};

export const COMMANDS = {
  list: {
    args: ["instance-id"],
    options: {
      start: { type: "string" },
      limit: { type: "string" },
      all: { type: "boolean" },
      max: { type: "string" },
      since: { type: "string" },
      until: { type: "string" },
    },
  },
  get: { args: ["instance-id", "task-id"], options: {} },
  progress: { args: ["instance-id", "task-id"], options: {} },
  wait: { args: ["instance-id", "task-id"], options: { timeout: { type: "string" }, interval: { type: "string" } } },
  delete: { args: ["instance-id", "task-id"], options: { yes: { type: "boolean", short: "y" } } },
} satisfies Record<string, { args: string[]; options: Record<string, OptionSpec> }>;

export type Command = keyof typeof COMMANDS;
export type Values = Record<string, string | boolean | undefined>;

export interface Parsed {
  /** Undefined for a bare `--help` / `--version` (or nothing at all). */
  command: Command | undefined;
  /** The command's positional arguments, by name (`instance-id`, `task-id`). */
  args: Record<string, string>;
  values: Values;
}

const ALL_OPTIONS: Record<string, OptionSpec> = Object.assign({}, GLOBAL, ...Object.values(COMMANDS).map((c) => c.options));

function parse(argv: string[], options: Record<string, OptionSpec>, command?: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    // parseArgs's messages name the flag; keep their first sentence, on one line.
    const message = (e as Error).message.split(/\. (?=To specify)/)[0]!.replace(/\s+/g, " ");
    throw new UsageError(command ? `${command}: ${message}` : message);
  }
}

function isCommand(name: string | undefined): name is Command {
  return name !== undefined && Object.hasOwn(COMMANDS, name);
}

export function parseCommandLine(argv: string[]): Parsed {
  const first = parse(argv, ALL_OPTIONS);
  const [name, ...rest] = first.positionals;
  if (name === "help") return { command: isCommand(rest[0]) ? rest[0] : undefined, args: {}, values: { help: true } };
  if (name === undefined) {
    if (first.values.help || first.values.version) return { command: undefined, args: {}, values: first.values };
    throw new UsageError("missing command (list, get, progress, wait or delete); see dms-tasks --help");
  }
  if (!isCommand(name)) throw new UsageError(`unknown command "${name}"; see dms-tasks --help`);
  const spec = COMMANDS[name];
  const { values, positionals } = parse(argv, { ...GLOBAL, ...spec.options }, name);
  if (values.help || values.version) return { command: name, args: {}, values };
  const given = positionals.slice(1);
  if (given.length < spec.args.length) {
    throw new UsageError(`${name}: missing <${spec.args[given.length]}>; see dms-tasks ${name} --help`);
  }
  if (given.length > spec.args.length) throw new UsageError(`${name}: unexpected argument "${given[spec.args.length]}"`);
  const args: Record<string, string> = {};
  spec.args.forEach((arg, i) => (args[arg] = given[i]!));
  return { command: name, args, values };
}

/** A whole number flag (`--limit 50`); range checks are the library's (DmsValidationError). */
export function intFlag(values: Values, flag: string): number | undefined {
  const v = values[flag];
  if (v === undefined) return undefined;
  if (typeof v !== "string" || !/^\d{1,15}$/.test(v)) throw new UsageError(`--${flag}: expected a whole number, got "${String(v)}"`);
  return Number(v);
}

export function stringFlag(values: Values, flag: string): string | undefined {
  const v = values[flag];
  return typeof v === "string" ? v : undefined;
}
