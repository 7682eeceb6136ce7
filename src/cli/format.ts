/**
 * Output formats. json: wire field names, pretty, an array streamed element by element.
 * ndjson: one object a line. csv: RFC 4180 (CRLF records). table: for people,
 * aligned columns sized from the first page, local-time timestamps, params truncated.
 * Every writer holds at most one page of tasks.
 */
import type { BackgroundTask } from "../index.js";
import { stringFlag, type Values } from "./args.js";
import { UsageError } from "./usage.js";

export const FORMATS = ["table", "json", "ndjson", "csv"] as const;
export type Format = (typeof FORMATS)[number];
export type Write = (s: string) => void;

/** The eight task fields, in the wire's order: the csv header. */
export const TASK_FIELDS = ["id", "name", "user_name", "user_id", "params", "status", "created_at", "updated_at"] as const;

export function outputFormat(values: Values, stdoutIsTTY: boolean): Format {
  const given = stringFlag(values, "output");
  if (given === undefined) return stdoutIsTTY ? "table" : "json";
  if (!(FORMATS as readonly string[]).includes(given)) throw new UsageError(`--output: expected one of ${FORMATS.join(", ")}, got "${given}"`);
  return given as Format;
}

export interface TaskSink {
  add(task: BackgroundTask): void;
  /** Writes what is still held (table) and closes the json array. */
  end(): void;
}

/** `many`: a list (json array) rather than one task (json object). `pageSize`: table rows held to size the columns. */
export function taskSink(format: Format, write: Write, many: boolean, pageSize = 100): TaskSink {
  switch (format) {
    case "json": {
      if (!many) return { add: (t) => write(JSON.stringify(t, null, 2) + "\n"), end() {} };
      let count = 0;
      return {
        add(t) {
          write((count++ === 0 ? "[\n" : ",\n") + indent(JSON.stringify(t, null, 2)));
        },
        end: () => write(count === 0 ? "[]\n" : "\n]\n"),
      };
    }
    case "ndjson":
      return { add: (t) => write(JSON.stringify(t) + "\n"), end() {} };
    case "csv":
      write(csvRow(TASK_FIELDS));
      return { add: (t) => write(csvRow(TASK_FIELDS.map((f) => t[f] ?? ""))), end() {} };
    case "table":
      return tableSink(write, pageSize);
  }
}

/**
 * One RFC 4180 record: a field holding a comma, a quote or a line break is quoted, its quotes
 * doubled; null and undefined are empty. (Checked against csv-stringify in test/cli/csv.test.ts;
 * five lines here spare every user of the library a 940 KiB dependency.)
 */
export function csvRow(cells: readonly unknown[]): string {
  const field = (c: unknown) => {
    const s = c === null || c === undefined ? "" : String(c);
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return cells.map(field).join(",") + "\r\n";
}

function indent(s: string): string {
  return "  " + s.replaceAll("\n", "\n  ");
}

// ---------------------------------------------------------------------------------------------
// Table

const COLUMNS: { title: string; cell: (t: BackgroundTask) => string; max: number }[] = [
  { title: "ID", cell: (t) => t.id, max: 40 },
  { title: "NAME", cell: (t) => t.name ?? "", max: 32 },
  { title: "STATUS", cell: (t) => t.status ?? "", max: 12 },
  { title: "CREATED", cell: (t) => localTime(t.created_at), max: 19 },
  { title: "UPDATED", cell: (t) => localTime(t.updated_at), max: 19 },
  { title: "USER", cell: (t) => t.user_name ?? "", max: 20 },
  { title: "PARAMS", cell: (t) => t.params ?? "", max: 48 },
];

function tableSink(write: Write, pageSize: number): TaskSink {
  let held: string[][] | undefined = [];
  let widths: number[] = [];
  const flush = () => {
    if (!held) return;
    widths = COLUMNS.map((c, i) => Math.min(c.max, Math.max(c.title.length, ...held!.map((r) => r[i]!.length))));
    write([COLUMNS.map((c) => c.title), ...held].map((row) => tableLine(row, widths)).join(""));
    held = undefined;
  };
  return {
    add(t) {
      const row = COLUMNS.map((c) => oneLine(c.cell(t)));
      if (!held) return write(tableLine(row, widths));
      held.push(row);
      if (held.length >= pageSize) flush();
    },
    end: flush,
  };
}

export function tableLine(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => fit(c, widths[i]!)).join("  ").trimEnd() + "\n";
}

function fit(s: string, width: number): string {
  return s.length > width ? s.slice(0, width - 1) + "…" : s.padEnd(width);
}

/** Control characters (a newline in params, an escape sequence) must not reach a terminal. */
export function oneLine(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

/** `YYYY-MM-DD HH:mm:ss` in the local time zone; what does not parse is shown as given. */
export function localTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
