/**
 * What a figure is to the runner (run.ts): it measures (usually in a child process of its own),
 * and reports its result as summary rows, targets, chart bars and a section of RESULTS.md.
 * A figure module exports `figure`; bench/figures.ts lists the modules, one line each.
 */
import type { RatioBar } from "./chart.ts";
import { fmtSummary, summarize } from "./stats.ts";

export interface RunContext {
  quick: boolean;
  /** URL of the shared bench server (bench/server.ts), started in its own process on first use. */
  serverUrl(): Promise<string>;
  /** Progress line on the console. */
  step(message: string): void;
}

export type Target = { figure: string; target: string; value: string; met: boolean };

export interface Report {
  /** Rows of the summary table: figure, ours, official SDK, bare fetch (floor), ours vs. */
  summary?: string[][];
  targets?: Target[];
  bars?: RatioBar[];
  /** Its section of RESULTS.md, as lines (a "## N. Title" heading first). */
  section: string[];
}

export interface Figure<R = unknown> {
  /** Name for `--only` and key of the result in results.json. */
  id: string;
  /** Loads the compiled package: the runner recompiles dist/ first when src/ is newer. */
  usesDist?: boolean;
  run(ctx: RunContext): Promise<R>;
  report(result: R): Report;
}

export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

/** "median (p25–p75)" of a sample. */
export const spread = (values: readonly number[], unit = ""): string => fmtSummary(summarize(values), unit);

/** A chart bar from per-round paired ratios (median, whiskers p25–p75). */
export function ratioBar(group: string, label: string, ratios: number[], target?: number): RatioBar & { median: number } {
  const s = summarize(ratios);
  return { group, label, ratio: s.median, lo: s.p25, hi: s.p75, median: s.median, ...(target !== undefined ? { target } : {}) };
}
