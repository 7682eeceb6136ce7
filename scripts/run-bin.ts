import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Project root, so every script works from any working directory. */
export const root = fileURLToPath(new URL("..", import.meta.url));

/** Runs a locally installed CLI (never `npx`, which may try the network) and fails loudly. */
export function runBin(bin: string, args: readonly string[]): void {
  execFileSync(`${root}node_modules/.bin/${bin}`, args, { cwd: root, stdio: "inherit" });
}
