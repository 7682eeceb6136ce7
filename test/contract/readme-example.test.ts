// The README's client example, copied as a user would: only `region` is swapped for the local
// mock's endpoint. It runs as its own program importing the package by its name (after
// `npm run build`), so the README can never drift from what the package really does.
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { prismUrl, SEED_TASK_ID } from "./mock.ts";

const root = new URL("../../", import.meta.url);

it("the README's client example lists the reference page's task from the mock", async () => {
  const readme = await readFile(new URL("README.md", root), "utf8");
  const section = readme.slice(readme.indexOf("## Using the client"));
  const example = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(example, "README has a ```ts block under ## Using the client").toBeDefined();
  const regionLine = /^\s*region: "cn-north-4",.*$/m;
  expect(example).toMatch(regionLine);
  expect(example).toContain('from "dms-background-tasks"');

  // Inside the repository, so `dms-background-tasks` resolves to this package (self-reference).
  const file = new URL(".tmp/readme-example.ts", root);
  await mkdir(new URL(".tmp/", root), { recursive: true });
  await writeFile(file, example!.replace(regionLine, `  endpoint: ${JSON.stringify(prismUrl())},`));

  const { stdout } = await promisify(execFile)(new URL("node_modules/.bin/tsx", root).pathname, [file.pathname], {
    cwd: root.pathname,
    env: { ...process.env, HW_AK: "readme-example-ak", HW_SK: "readme-example-sk" },
    timeout: 30_000,
  });
  // The page: task_count and "name: status", then the iterator's task with its decoded params.
  expect(stdout).toContain("1 [ 'bindInstancePublicIp: SUCCESS' ]");
  expect(stdout).toContain(`${SEED_TASK_ID} SUCCESS {`);
  expect(stdout).toContain("public_ip_id: '06a13350-4305-4338-9f0e-6b322bb1413d'");
  expect(stdout).not.toContain("readme-example-sk");
});
