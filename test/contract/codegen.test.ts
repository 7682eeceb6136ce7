// Other-language consumers of the bundle: OpenAPI Generator (Python, Java) and @hey-api/openapi-ts
// generate from generated/openapi.yaml without errors or warnings, the output compiles, and each
// generated client lists the seed's task from the Prism mock, then shows that task, reads a task's
// progress and deletes it (the lifecycle operations).
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

let pythonRun: Promise<Record<string, any>> | undefined;
/** The output of python-client-check.py on the mock (run once, read by two tests). */
function pythonCheck(): Promise<Record<string, any>> {
  pythonRun ??= python().then(async (py) => {
    const { stdout } = await run(py, [`${root}test/contract/python-client-check.py`, prismUrl(), TOKEN], {
      env: { ...process.env, PYTHONPATH: result.pythonDir, PYTHONDONTWRITEBYTECODE: "1" },
    });
    return JSON.parse(stdout) as Record<string, any>;
  });
  return pythonRun;
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
    const out = await pythonCheck();
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

  it("the Python client shows the seed's task (showBackgroundTask), reads progress and deletes, on the mock", async () => {
    const out = await pythonCheck();
    const task = (await seed()).tasks[0]!;
    expect(out.show).toEqual({
      type: "ListBackgroundTasksResponse",
      task_count: "1",
      task_id: SEED_TASK_ID,
      task_status: task.status,
      task_name: task.name,
      task_updated_at: "2020-06-23T03:00:08.130000+00:00",
    });
    expect(new Date(out.show.task_updated_at).toISOString()).toBe(task.updated_at);
    expect(out.show_not_found.status).toBe(404);
    await assertMatchesSpec(404, out.show_not_found.body, "showBackgroundTask");
    expect(out.show_not_found.body.error_code).toBe("DMS.00404022");
    // The task_id pattern became a client-side check: "a.b" is refused before anything is sent.
    expect(out.show_bad_task_id).toBe("ApiValueError");

    expect(out.progress.type).toBe("ShowBackgroundTaskProgressResponse");
    await assertMatchesSpec(200, out.progress.value, "showBackgroundTaskProgress");
    expect(out.progress.value).toEqual(await specExample("ShowBackgroundTaskProgressKafka"));
    // The running RocketMQ task: null times come through as None, not as 0 or an error.
    expect(out.progress_running).toEqual({
      step_types: ["StepDetail", "StepDetail"],
      steps: [
        ["rolling_scaling", "IN_PROGRESS", 1765307543286, null],
        ["resume_operation", "WAITING", null, null],
      ],
    });
    expect(out.delete).toEqual({ result: null, status: 204 });
  });

  it("the Java client (library native, compiled with javac) lists and shows the seed's task, reads progress and deletes, on the mock", async (ctx) => {
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
      show: [SEED_TASK_ID, task.status],
      // The RocketMQ example (Prefer: example=RocketMqExample): null times stay null (Long).
      progress: [
        40,
        1124,
        [
          ["rolling_scaling", "IN_PROGRESS", 1765307543286, null],
          ["resume_operation", "WAITING", null, null],
        ],
      ],
      delete_status: 204,
    });
    await assertMatchesSpec(404, out.not_found.body);
  });

  it("the TypeScript client (@hey-api/openapi-ts) lists and shows the seed's task, reads progress and deletes, on the mock", async () => {
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
      showBackgroundTask(options: TaskOptions): Promise<Result<{ task_count: string; tasks: { id: string }[] }>>;
      showBackgroundTaskProgress(options: TaskOptions): Promise<Result<{ progress_percentage?: number }>>;
      deleteBackgroundTask(options: TaskOptions): Promise<Result<unknown>>;
    }
    type TaskOptions = {
      client: unknown;
      path: { project_id: string; instance_id: string; task_id: string };
      headers?: Record<string, string>;
    };
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

    const taskPath = { ...path, task_id: SEED_TASK_ID };
    const shown = await sdk.showBackgroundTask({ client, path: taskPath });
    expect(shown.response.status).toBe(200);
    await assertMatchesSpec(200, shown.data, "showBackgroundTask");
    expect(shown.data?.tasks.map((t) => t.id)).toEqual([SEED_TASK_ID]);

    const progress = await sdk.showBackgroundTaskProgress({ client, path: taskPath });
    expect(progress.response.status).toBe(200);
    await assertMatchesSpec(200, progress.data, "showBackgroundTaskProgress");
    expect(progress.data).toEqual(await specExample("ShowBackgroundTaskProgressKafka"));

    const deleted = await sdk.deleteBackgroundTask({ client, path: taskPath });
    expect(deleted.response.status).toBe(204);
    expect(deleted.error).toBeUndefined();

    const deleteNotFound = await sdk.deleteBackgroundTask({ client, path: taskPath, headers: { Prefer: "code=404" } });
    expect(deleteNotFound.response.status).toBe(404);
    await assertMatchesSpec(404, deleteNotFound.error, "deleteBackgroundTask");
    expect(deleteNotFound.error?.error_code).toBe("DMS.00404022");
  });
});
