/** Terminal helpers: a one-line status that rewrites itself on stderr, and a yes/no prompt. */
import { createInterface } from "node:readline/promises";

export interface Terminal {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** A line at the bottom of the terminal, redrawn in place; clear() before other output. */
export class StatusLine {
  private shown = false;
  constructor(private readonly stderr: NodeJS.WritableStream) {}
  set(text: string): void {
    this.stderr.write("\r\x1b[2K" + text);
    this.shown = true;
  }
  clear(): void {
    if (this.shown) this.stderr.write("\r\x1b[2K");
    this.shown = false;
  }
  /** Leaves the last text on screen and moves to a new line. */
  done(): void {
    if (this.shown) this.stderr.write("\n");
    this.shown = false;
  }
}

/** Asks on stderr, reads one line from stdin; true only for y/yes. Rejects with `signal.reason` on abort or Ctrl-C. */
export async function confirm(term: Terminal, question: string, signal: AbortSignal, onInterrupt: () => void): Promise<boolean> {
  const rl = createInterface({ input: term.stdin, output: term.stderr, terminal: true });
  // In the prompt Ctrl-C reaches readline as a key, not as a signal to the process.
  rl.on("SIGINT", onInterrupt);
  try {
    const answer = await rl.question(question, { signal });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}h${pad(m)}m${pad(s % 60)}s` : m > 0 ? `${m}m${pad(s % 60)}s` : `${s}s`;
}
