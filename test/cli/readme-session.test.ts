// The README's CLI session, replayed against the Prism mock the way it was captured (each line
// echoed after "$ ", then run by bash with stderr joined to stdout): the README can never show
// output the command does not produce. Only the mock's port, wait's clock time and csv's CRs may differ.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { prismUrl } from "../contract/mock.ts";
import { BIN } from "./cli.ts";

const README_URL = "http://127.0.0.1:4010";
const shimDir = mkdtempSync(join(tmpdir(), "dms-tasks-bin-"));
afterAll(() => rmSync(shimDir, { recursive: true, force: true }));

it("the README's dms-tasks session is what the command prints against the mock", async () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## The command line: `dms-tasks`"));
  const block = /```console\n([\s\S]*?)```/.exec(section)?.[1];
  expect(block, "a ```console block in the README's CLI section").toBeDefined();
  const commands = block!.split("\n").filter((l) => l.startsWith("$ ")).map((l) => l.slice(2));
  expect(commands.filter((c) => c.startsWith("dms-tasks ")).length).toBeGreaterThanOrEqual(5);

  // `dms-tasks` on PATH, as an installed package puts it there.
  writeFileSync(join(shimDir, "dms-tasks"), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`, { mode: 0o755 });
  const script = commands.map((c) => c.replaceAll(README_URL, prismUrl())).join("\n") + "\n";
  const child = spawn("bash", ["-c", 'while IFS= read -r line; do echo "$ $line"; eval "$line" 2>&1; done'], {
    env: { PATH: `${shimDir}:${process.env.PATH}`, TZ: "UTC" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  child.stdin.end(script);
  let out = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  await new Promise((resolve) => child.on("close", resolve));

  // A README holds no CR: the csv's CRLF record ends show there as plain line ends.
  const normalise = (s: string) => s.replaceAll("\r\n", "\n").replaceAll(prismUrl(), README_URL).replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /gm, "<time> ");
  expect(normalise(out)).toBe(normalise(block!));
});
