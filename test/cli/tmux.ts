// A real pseudo-terminal for the CLI: tmux (Debian's /usr/bin/tmux) on a private socket, one
// session a command, read with capture-pane and driven with send-keys. Polls have a deadline
// (a bound against hanging, not a timing assertion).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll } from "vitest";
import { BIN } from "./cli.ts";

// A private socket in a private directory: no other tmux server is ever touched.
const DIR = mkdtempSync(join(tmpdir(), "dms-cli-tmux-"));
const SOCKET = join(DIR, "socket");
let sessions = 0;

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-S", SOCKET, "-f", "/dev/null", ...args], { encoding: "utf8" });
}

/** Kills this file's tmux server (its sessions with it) and removes its socket after the file's tests. */
export function useTmux(): void {
  afterAll(() => {
    try {
      tmux("kill-server");
    } catch {
      /* no session was ever started */
    }
    rmSync(DIR, { recursive: true, force: true });
  });
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

export interface Pane {
  /** The visible screen, trailing blanks trimmed. */
  screen: () => string;
  /** Polls the screen until `test` holds; returns that screen. */
  waitFor: (test: (screen: string) => boolean, what: string) => Promise<string>;
  /** Resolves with the command's exit status, printed by the shell after it ends. */
  exitCode: () => Promise<number>;
  keys: (...keys: string[]) => void;
}

/** Starts `dms-tasks args` in a new 160x40 terminal with exactly `env` (plus PATH). */
export function startInTerminal(args: string[], env: Record<string, string>): Pane {
  const name = `s${++sessions}`;
  const vars = Object.entries({ PATH: process.env.PATH ?? "/usr/bin:/bin", TERM: "xterm-256color", ...env }).map(([k, v]) => `${k}=${quote(v)}`);
  const command = `env -i ${vars.join(" ")} ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(" ")}; echo "[exit $?]"; sleep 3600`;
  tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "40", command);
  const screen = () => tmux("capture-pane", "-p", "-t", name).replace(/\s+$/, "");
  const waitFor = async (test: (s: string) => boolean, what: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const s = screen();
      if (test(s)) return s;
      if (Date.now() > deadline) throw new Error(`terminal never showed ${what}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    screen,
    waitFor,
    exitCode: async () => Number(/\[exit (\d+)\]/.exec(await waitFor((s) => /\[exit \d+\]/.test(s), "the exit status"))![1]),
    keys: (...keys) => void tmux("send-keys", "-t", name, ...keys),
  };
}
