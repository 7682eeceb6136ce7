// The build prints no end-of-life banner a user would read as an error: Redocly CLI 2.x boxes a
// "Node.js 20 support is ending" warning into every run under Node 20, and the build's scripts run
// it through scripts/run-bin.ts, which drops that box and nothing else.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { dropNodeEolBanner, root } from "../../scripts/run-bin.ts";

const run = promisify(execFile);
const redocly = `${root}node_modules/.bin/redocly`;
const onNode20 = process.versions.node.startsWith("20.");

describe("Redocly's Node 20 end-of-life banner", () => {
  it.runIf(onNode20)("is printed by Redocly itself on Node 20 (what the build must hide)", async () => {
    const { stdout, stderr } = await run(redocly, ["--version"], { cwd: root });
    expect(stderr).toContain("Node.js 20 support is ending");
    expect(dropNodeEolBanner(stderr).trim()).toBe("");
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("is not printed by the build's way of running Redocly, and its output is", async () => {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "scripts/run-bin.ts", "redocly", "--version"], { cwd: root });
    expect(stderr).not.toMatch(/end-of-life|Deprecation|support is ending/i);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("keeps every other box and line", () => {
    const other = "\n    ╔══╗\n    ║ other notice ║\n    ╚══╝\nline\n";
    expect(dropNodeEolBanner(other)).toBe(other);
  });
});
