// `npm ci` runs @scarf/scarf's postinstall (a dependency of Spectral). The package.json setting
// `scarfSettings.enabled: false` must make it report nothing even when the shell has no
// SCARF_ANALYTICS=false; `skipTraversal` also spares the `npm ls` it would run to find its parents.
// The real report.js runs here as npm runs it, pointed (SCARF_LOCAL_PORT) at a local server that
// counts what it receives.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../../scripts/run-bin.ts";

const report = join(root, "node_modules/@scarf/scarf/report.js");
let received = 0;
const server = createServer((req, res) => {
  received += 1;
  req.resume();
  res.end("{}");
});
let port = 0;
const scratch = mkdtempSync(join(tmpdir(), "dms-scarf-"));

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "localhost", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Runs Scarf's postinstall for the project in `projectDir`, with none of the opt-out variables set. */
async function postinstall(projectDir: string): Promise<{ output: string; received: number }> {
  const before = received;
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(SCARF_|DO_NOT_TRACK$|npm_)/.test(key)),
  );
  const { stdout, stderr } = await promisify(execFile)(process.execPath, [report], {
    cwd: join(root, "node_modules/@scarf/scarf"),
    env: { ...env, INIT_CWD: projectDir, SCARF_LOCAL_PORT: String(port), SCARF_VERBOSE: "true", TMPDIR: scratch },
    timeout: 30_000,
  });
  return { output: stdout + stderr, received: received - before };
}

describe("install-time telemetry (@scarf/scarf)", () => {
  it("is disabled in package.json", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scarfSettings?: unknown };
    expect(pkg.scarfSettings).toEqual({ enabled: false, skipTraversal: true });
  });

  it("sends nothing for this project, with no opt-out variable in the environment", async () => {
    const { output, received: sent } = await postinstall(root);
    expect(output).toContain("User has opted out");
    expect(sent).toBe(0);
  });

  it("would report for a project without the setting (so the check above can fail)", async () => {
    const project = mkdtempSync(join(scratch, "project-"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "other", version: "1.0.0", scarfSettings: { skipTraversal: true } }));
    const { received: sent } = await postinstall(project);
    expect(sent).toBe(1);
  });
});
