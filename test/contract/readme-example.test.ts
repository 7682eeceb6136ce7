// The README's client examples, copied as a user would: only `region` is swapped for the local
// mock's endpoint. Each runs as its own program importing the package by its name (after
// `npm run build`), so the README can never drift from what the package really does.
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { prismUrl, SEED_TASK_ID } from "./mock.ts";

const root = new URL("../../", import.meta.url);

/** Runs the first ```ts block after `heading` against the mock; returns its stdout and stderr. */
async function runExample(heading: string, file: string): Promise<{ stdout: string; stderr: string }> {
  const readme = await readFile(new URL("README.md", root), "utf8");
  const at = readme.indexOf(heading);
  expect(at, `README has a section ${heading}`).toBeGreaterThanOrEqual(0);
  const example = /```ts\n([\s\S]*?)```/.exec(readme.slice(at))?.[1];
  expect(example, `README has a \`\`\`ts block under ${heading}`).toBeDefined();
  const regionLine = /^\s*region: "cn-north-4",.*$/m;
  expect(example).toMatch(regionLine);
  expect(example).toContain('from "dms-background-tasks"');

  // Inside the repository, so `dms-background-tasks` resolves to this package (self-reference).
  const path = new URL(`.tmp/${file}`, root);
  await mkdir(new URL(".tmp/", root), { recursive: true });
  await writeFile(path, example!.replace(regionLine, `  endpoint: ${JSON.stringify(prismUrl())},`));

  const result = await promisify(execFile)(new URL("node_modules/.bin/tsx", root).pathname, [path.pathname], {
    cwd: root.pathname,
    env: { ...process.env, HW_AK: "readme-example-ak", HW_SK: "readme-example-sk" },
    timeout: 30_000,
  });
  expect(result.stdout + result.stderr).not.toContain("readme-example-sk");
  return result;
}

it("the README's client example lists the reference page's task from the mock", async () => {
  const { stdout } = await runExample("## Using the client", "readme-example.ts");
  // The page: task_count and "name: status", then the iterator's task with its decoded params.
  expect(stdout).toContain("1 [ 'bindInstancePublicIp: SUCCESS' ]");
  expect(stdout).toContain(`${SEED_TASK_ID} SUCCESS {`);
  expect(stdout).toContain("public_ip_id: '06a13350-4305-4338-9f0e-6b322bb1413d'");
});

it("the README's lifecycle example waits for, reads, follows and deletes the task on the mock", async () => {
  const { stdout, stderr } = await runExample("### Lifecycle", "readme-lifecycle.ts");
  expect(stderr).toBe("");
  expect(stdout).toContain("status SUCCESS\ndone bindInstancePublicIp 2020-06-23T03:00:08.130Z\n");
  expect(stdout).toContain("SUCCESS 100% [ 'pre_check: COMPLETED', 'disk_expansion: COMPLETED' ]");
});
