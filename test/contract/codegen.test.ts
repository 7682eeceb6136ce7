// Other-language consumers of the bundle: OpenAPI Generator (Python, Java) and @hey-api/openapi-ts
// generate from generated/openapi.yaml without errors or warnings, the output compiles, and each
// generated client lists the seed's task from the Prism mock.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { codegenCheck, type CodegenResult } from "../../scripts/codegen-check.ts";
import { root } from "../../scripts/run-bin.ts";
import { assertMatchesSpec } from "./schemas.ts";
import { PROJECT_ID, INSTANCE_ID, prismUrl, SEED_TASK_ID, specExample, TOKEN } from "./mock.ts";

const run = promisify(execFile);

// Its own folder, so `npm run codegen:check` (.tmp/codegen) can run at the same time.
const OUT = ".tmp/codegen-contract";
let result: CodegenResult;

beforeAll(async () => {
  result = await codegenCheck(OUT);
}, 300_000);

/** The seed's example as the generated clients see it. */
async function seed() {
  return (await specExample("ListBackgroundTasksReferencePage")) as {
    task_count: string;
    tasks: Record<string, string>[];
  };
}

/** A python3 with what the generated client imports (six, dateutil, urllib3; certifi is stubbed). */
async function python(): Promise<string> {
  const candidates = [process.env.PYTHON, "python3", "/usr/bin/python3"].filter((p): p is string => !!p);
  for (const candidate of candidates) {
    try {
      await run(candidate, ["-c", "import six, dateutil, urllib3"]);
      return candidate;
    } catch {
      /* next */
    }
  }
  throw new Error(`no python3 with six, dateutil and urllib3 among ${candidates.join(", ")}`);
}

describe("codegen:check", () => {
  it("validate, python, java, hey-api and tsc all pass (no error, warning or recommendation)", () => {
    const names = result.steps.map((s) => s.name);
    expect(names).toEqual([
      "openapi-generator validate",
      "openapi-generator python",
      "openapi-generator java",
      "javac",
      "@hey-api/openapi-ts",
      "tsc --strict",
    ]);
    for (const s of result.steps) expect(s.command).not.toMatch(/npx/);
  });

  it("the Python client lists the seed's task from the mock, maps errors, and validates input client-side", async () => {
    const { stdout } = await run(await python(), [`${root}test/contract/python-client-check.py`, prismUrl(), TOKEN], {
      env: { ...process.env, PYTHONPATH: result.pythonDir, PYTHONDONTWRITEBYTECODE: "1" },
    });
    const out = JSON.parse(stdout);
    expect(out.type).toBe("ListBackgroundTasksResponse");
    expect(out.first_task_id).toBe(SEED_TASK_ID);
    // Python re-serialises the date-times (`…03.471000+00:00`); everything else is the seed verbatim.
    const example = await seed();
    const { created_at, updated_at, ...rest } = example.tasks[0]!;
    expect(out.page.task_count).toBe("1");
    expect(out.page.tasks).toHaveLength(1);
    expect(out.page.tasks[0]).toMatchObject(rest);
    expect(new Date(out.page.tasks[0].created_at).toISOString()).toBe(created_at);
    expect(new Date(out.page.tasks[0].updated_at).toISOString()).toBe(updated_at);
    expect(out.not_found.status).toBe(404);
    await assertMatchesSpec(404, out.not_found.body);
    expect(out.not_found.body.error_code).toBe("DMS.00404022");
    expect(out.limit_0).toBe("ApiValueError");
    expect(out.bad_begin_time).toBe("ApiValueError");
  });

  it("the Java client (library native, compiled with javac) lists the seed's task from the mock", async (ctx) => {
    if (!result.javaClasspath) ctx.skip(`javac was skipped: ${result.steps.find((s) => s.name === "javac")?.skipped}`);
    const { stdout } = await run(
      "java",
      ["-cp", result.javaClasspath!.join(":"), `${root}test/contract/JavaClientCheck.java`, prismUrl(), TOKEN],
      { cwd: root },
    );
    const out = JSON.parse(stdout);
    const task = (await seed()).tasks[0]!;
    expect(out).toEqual({
      task_count: "1",
      first_task_id: SEED_TASK_ID,
      first_task_status: task.status,
      first_task_created_at: task.created_at,
      first_task_params: task.params,
      not_found: { status: 404, body: expect.objectContaining({ error_code: "DMS.00404022" }) },
    });
    await assertMatchesSpec(404, out.not_found.body);
  });

  it("the TypeScript client (@hey-api/openapi-ts) lists the seed's task from the mock", async () => {
    // Loaded at run time from the temporary folder: the repository's typecheck never sees it
    // (its types are checked by codegen:check's `tsc --strict` step instead).
    type Result<T> = { data?: T; error?: { error_code: string }; response: Response };
    interface Sdk {
      listBackgroundTasks(options: {
        client: unknown;
        path: { project_id: string; instance_id: string };
        query?: { start?: number; limit?: number };
        headers?: Record<string, string>;
      }): Promise<Result<{ task_count: string; tasks: { id: string }[] }>>;
    }
    interface ClientModule {
      createClient(config: { baseUrl: string; auth: (a: { name?: string }) => string | undefined }): unknown;
    }
    const sdk = (await import(/* @vite-ignore */ `${result.typescriptDir}/index.ts`)) as Sdk;
    const { createClient } = (await import(/* @vite-ignore */ `${result.typescriptDir}/client/index.ts`)) as ClientModule;
    const client = createClient({ baseUrl: prismUrl(), auth: (a) => (a.name === "X-Auth-Token" ? TOKEN : undefined) });
    const path = { project_id: PROJECT_ID, instance_id: INSTANCE_ID };

    const ok = await sdk.listBackgroundTasks({ client, path, query: { start: 1, limit: 10 } });
    expect(ok.response.status).toBe(200);
    await assertMatchesSpec(200, ok.data);
    expect(ok.data).toEqual(await seed());
    const id: string | undefined = ok.data?.tasks[0]?.id;
    expect(id).toBe(SEED_TASK_ID);

    const notFound = await sdk.listBackgroundTasks({ client, path, headers: { Prefer: "code=404" } });
    expect(notFound.response.status).toBe(404);
    await assertMatchesSpec(404, notFound.error);
    expect(notFound.error?.error_code).toBe("DMS.00404022");
  });
});
