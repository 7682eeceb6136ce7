// The command against the Prism mock of generated/openapi.yaml (the cli project's own Prism,
// started by test/contract/prism-setup.ts): what `npm run mock` users see.
import { describe, expect, it } from "vitest";
import { prismUrl, SEED_TASK_ID } from "../contract/mock.ts";
import { ACCESS_KEY, INSTANCE_ID, PROJECT_ID, run, secretsIn, SECRETS } from "./cli.ts";

const tokenEnv = () => ({ DMS_TASKS_ENDPOINT: prismUrl(), HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID, DMS_TASKS_TOKEN: SECRETS.token });
const akskEnv = () => ({
  DMS_TASKS_ENDPOINT: prismUrl(),
  HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID,
  HUAWEICLOUD_SDK_AK: ACCESS_KEY,
  HUAWEICLOUD_SDK_SK: SECRETS.secretKey,
});

describe("list on the mock", () => {
  for (const [auth, env] of [["IAM token", tokenEnv], ["AK/SK", akskEnv]] as const) {
    it(`${auth}: json is the reference page's task list`, async () => {
      const r = await run(["list", INSTANCE_ID, "--limit", "10"], { env: env() });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const tasks = JSON.parse(r.stdout) as { id: string; status: string }[];
      expect(tasks.map((t) => [t.id, t.status])).toEqual([[SEED_TASK_ID, "SUCCESS"]]);
      expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
    });
  }

  it("--all, --since and --until in every format", async () => {
    const args = ["list", INSTANCE_ID, "--all", "--since", "2020-06-01T00:00:00Z", "--until", "20200701000000"];
    const json = await run([...args, "-o", "json"], { env: tokenEnv() });
    expect(json.code).toBe(0);
    const tasks = JSON.parse(json.stdout) as Record<string, string>[];
    expect(tasks).toHaveLength(1);
    const ndjson = await run([...args, "-o", "ndjson"], { env: tokenEnv() });
    expect(ndjson.stdout).toBe(JSON.stringify(tasks[0]) + "\n");
    const csv = await run([...args, "-o", "csv"], { env: tokenEnv() });
    expect(csv.stdout.split("\r\n")[0]).toBe("id,name,user_name,user_id,params,status,created_at,updated_at");
    expect(csv.stdout).toContain(`${SEED_TASK_ID},bindInstancePublicIp,`);
    const table = await run([...args, "-o", "table"], { env: { ...tokenEnv(), TZ: "UTC" } });
    expect(table.stdout).toMatch(new RegExp(`\\n${SEED_TASK_ID}  bindInstancePublicIp  SUCCESS  2020-06-23 03:00:03  2020-06-23 03:00:08  dms_test  `));
  });
});

describe("get, progress, wait and delete on the mock", () => {
  it("get prints the task, progress its figures, wait ends on SUCCESS, delete --yes deletes", async () => {
    const get = await run(["get", INSTANCE_ID, SEED_TASK_ID], { env: tokenEnv() });
    expect([get.code, get.stderr]).toEqual([0, ""]);
    expect(JSON.parse(get.stdout)).toMatchObject({ status: expect.any(String) });

    const progress = await run(["progress", INSTANCE_ID, SEED_TASK_ID], { env: tokenEnv() });
    expect([progress.code, progress.stderr]).toEqual([0, ""]);
    expect(JSON.parse(progress.stdout)).toMatchObject({ progress_percentage: expect.any(Number) });

    const wait = await run(["wait", INSTANCE_ID, SEED_TASK_ID, "--timeout", "30s"], { env: tokenEnv() });
    expect(wait.code).toBe(0);
    expect(JSON.parse(wait.stdout)).toMatchObject({ status: "SUCCESS" });

    const del = await run(["delete", INSTANCE_ID, SEED_TASK_ID, "--yes"], { env: tokenEnv() });
    expect([del.code, del.stderr]).toEqual([0, `deleted task ${SEED_TASK_ID}\n`]);
  });
});
