import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** Project root, so every script works from any working directory. */
export const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Redocly CLI 2.x prints a boxed "Deprecation warning: Node.js 20 support is ending" on every run
 * under Node 20. It concerns future Redocly releases only (this one supports Node 20.19+), and
 * users read it as a build error, so it is dropped; every other line is kept.
 */
export function dropNodeEolBanner(text: string): string {
  return text.replace(/\n?[ \t]*╔[^]*?╝[ \t]*\n/g, (box) => (/Node\.js 20 support is ending/.test(box) ? "" : box));
}

/** Runs a locally installed CLI (never `npx`, which may try the network) and fails loudly. */
export function runBin(bin: string, args: readonly string[]): void {
  const result = spawnSync(`${root}node_modules/.bin/${bin}`, args, {
    cwd: root,
    stdio: ["inherit", "inherit", "pipe"],
    encoding: "utf8",
  });
  process.stderr.write(dropNodeEolBanner(result.stderr ?? ""));
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${result.signal ?? `exit ${result.status}`})`);
}

// `tsx scripts/run-bin.ts <bin> [args…]`: the same from package.json scripts (`npm run lint`).
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [bin, ...args] = process.argv.slice(2);
  if (!bin) throw new Error("usage: tsx scripts/run-bin.ts <bin> [args…]");
  try {
    runBin(bin, args);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
