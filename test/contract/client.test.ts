// The wrapper (src/) against the Prism mock: it lists the seed's example, refuses what the spec
// forbids before sending anything, and maps the spec's error responses to DmsApiError.
// Every body the wrapper receives is checked against the spec by countingFetch (see mock.ts).
import { describe, expect, it } from "vitest";
import {
  type BackgroundTask,
  type BackgroundTaskProgress,
  type BackgroundTaskStep,
  type BackgroundTasksClientOptions,
  createBackgroundTasksClient,
  DmsApiError,
  DmsValidationError,
  type ListBackgroundTasksResponse,
} from "../../src/index.ts";
import { declaredErrorCodes } from "./spec-errors.ts";
import { countingFetch, INSTANCE_ID, PROJECT_ID, prismUrl, SEED_TASK_ID, specExample, TOKEN } from "./mock.ts";

type Credentials = { token: string } | { accessKey: string; secretKey: string };

/** The spec's declared error responses: `[status, example error_code]`. */
const cases = await declaredErrorCodes();

function client(
  fetch = countingFetch(),
  credentials: Credentials = { token: TOKEN },
  retry: BackgroundTasksClientOptions["retry"] = false,
) {
  return {
    fetch,
    client: createBackgroundTasksClient({ endpoint: prismUrl(), projectId: PROJECT_ID, credentials, retry, fetch }),
  };
}

describe("the wrapper lists tasks from the mock", () => {
  it("with an IAM token: one request, the seed's example, typed", async () => {
    const { client: c, fetch } = client();
    const page: ListBackgroundTasksResponse = await c.listBackgroundTasks({
      instanceId: INSTANCE_ID,
      start: 1,
      limit: 100,
      beginTime: new Date(Date.UTC(2020, 5, 23)),
      endTime: "20200624000000",
    });
    const id: string = page.tasks[0]!.id;
    const count: string = page.task_count;
    expect(id).toBe(SEED_TASK_ID);
    expect(count).toBe("1");
    expect(page).toEqual(await specExample("ListBackgroundTasksReferencePage"));

    expect(fetch.calls).toHaveLength(1);
    const request = fetch.calls[0]!;
    expect(request.method).toBe("GET");
    expect(new URL(request.url).pathname).toBe(`/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks`);
    expect(Object.fromEntries(new URL(request.url).searchParams)).toEqual({
      start: "1",
      limit: "100",
      begin_time: "20200623000000",
      end_time: "20200624000000",
    });
    expect(request.headers.get("x-auth-token")).toBe(TOKEN);
    expect(fetch.answers.map((a) => a.status)).toEqual([200]);
    expect(fetch.specErrors).toEqual([]);
  });

  it("with AK/SK: the signed request is accepted (Prism checks that Authorization is present)", async () => {
    const { client: c, fetch } = client(countingFetch(), { accessKey: "AccessKey", secretKey: "contract-test-secret-key" });
    const page = await c.listBackgroundTasks({ instanceId: INSTANCE_ID });
    expect(page.tasks[0]?.id).toBe(SEED_TASK_ID);
    const request = fetch.calls[0]!;
    expect(request.headers.get("authorization")).toMatch(/^SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
    expect(request.headers.get("x-sdk-date")).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request.headers.get("x-project-id")).toBe(PROJECT_ID);
    expect(fetch.specErrors).toEqual([]);
  });

  it("paginates a static page to its end (the seed's single task, once)", async () => {
    const { client: c, fetch } = client();
    const ids: string[] = [];
    for await (const task of c.paginateBackgroundTasks({ instanceId: INSTANCE_ID, pageSize: 10 })) ids.push(task.id);
    expect(ids).toEqual([SEED_TASK_ID]);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.specErrors).toEqual([]);
  });

  it("paginates the SeveralTasks example (a mock repeating its page): each task once, and it stops", async () => {
    const { client: c, fetch } = client(countingFetch({ Prefer: "example=SeveralTasks" }));
    const ids: string[] = [];
    for await (const task of c.paginateBackgroundTasks({ instanceId: INSTANCE_ID, pageSize: 2 })) ids.push(task.id);
    const several = (await specExample("ListBackgroundTasksSeveral")) as { tasks: { id: string }[] };
    expect(ids).toEqual(several.tasks.map((t) => t.id));
    expect(new URL(fetch.calls[0]!.url).searchParams.get("start")).toBe("1");
    expect(fetch.calls.length).toBeLessThanOrEqual(3); // task_count "5" with 2 per page: at most 3 requests
    expect(fetch.specErrors).toEqual([]);
  });
});

describe("inputs the spec forbids fail with DmsValidationError and send nothing", () => {
  // Each of these is also refused by the mock when sent raw (mock-raw.test.ts, agreement.test.ts).
  const forbidden: [string, Record<string, unknown>, string][] = [
    ["limit 0", { limit: 0 }, "limit"],
    ["limit 101", { limit: 101 }, "limit"],
    ["limit 1.5", { limit: 1.5 }, "limit"],
    ["limit NaN", { limit: Number.NaN }, "limit"],
    ["start 0", { start: 0 }, "start"],
    ["start -1", { start: -1 }, "start"],
    ["start 2^31", { start: 2 ** 31 }, "start"],
    ["beginTime 2020-13-45", { beginTime: "2020-13-45" }, "beginTime"],
    ["beginTime 20201345000000", { beginTime: "20201345000000" }, "beginTime"],
    ["beginTime 13-digit epoch ms", { beginTime: "1592881203000" }, "beginTime"],
    ["beginTime 15 digits", { beginTime: "202006230000000" }, "beginTime"],
    ["beginTime 30 February", { beginTime: "20200230000000" }, "beginTime"],
    ["endTime hour 24", { endTime: "20200623240000" }, "endTime"],
    ["endTime invalid Date", { endTime: new Date(Number.NaN) }, "endTime"],
    ["endTime year 10000", { endTime: new Date(Date.UTC(10000, 0, 1)) }, "endTime"],
    // Stricter than the spec (which the mock accepts): the wrapper knows leap years and order.
    ["beginTime 29 February 2021 (not a leap year)", { beginTime: "20210229000000" }, "beginTime"],
    ["beginTime after endTime", { beginTime: "20200624000000", endTime: "20200623000000" }, "beginTime"],
    ["instanceId empty", { instanceId: "" }, "instanceId"],
    ["instanceId with a slash", { instanceId: "a/b" }, "instanceId"],
    ["wire name begin_time instead of beginTime", { begin_time: "20200623000000" }, "options.begin_time"],
  ];

  it.each(forbidden)("%s", async (_name, args, argument) => {
    const { client: c, fetch } = client();
    const call = c.listBackgroundTasks({ instanceId: INSTANCE_ID, ...args } as Parameters<typeof c.listBackgroundTasks>[0]);
    const error = await call.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DmsValidationError);
    expect((error as DmsValidationError).argument).toBe(argument);
    expect(fetch.calls).toHaveLength(0);
  });
});

describe("the spec's error responses become DmsApiError", () => {
  it("the bundle declares error responses, 400 and 500 among them", () => {
    expect(cases.map(([status]) => status)).toEqual(expect.arrayContaining([400, 500]));
  });

  it.each(cases)("Prefer: code=%i → DmsApiError %s with the example's fields", async (status, errorCode) => {
    const { client: c, fetch } = client(countingFetch({ Prefer: `code=${status}` }));
    const error = await c.listBackgroundTasks({ instanceId: INSTANCE_ID }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DmsApiError);
    const e = error as DmsApiError;
    const body = fetch.answers[0]!.body as { error_code: string; error_msg: string; request_id: string };
    expect(e.status).toBe(status);
    expect(e.errorCode).toBe(errorCode);
    expect(e.errorMsg).toBe(body.error_msg);
    // The X-Request-Id header wins over the body's request_id.
    expect(e.requestId).toBe(fetch.answers[0]!.headers.get("x-request-id"));
    expect(e.message).not.toContain(TOKEN);
    expect(fetch.calls).toHaveLength(1); // retry: false
    expect(fetch.specErrors).toEqual([]);
  });

  it("a retryable 500 is retried per the retry option, then reported", async () => {
    const { client: c, fetch } = client(countingFetch({ Prefer: "code=500" }), undefined, { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 });
    await expect(c.listBackgroundTasks({ instanceId: INSTANCE_ID })).rejects.toMatchObject({
      name: "DmsApiError",
      status: 500,
      errorCode: "APIGW.0103",
    });
    expect(fetch.calls).toHaveLength(3);
  });

  it("a 404 is not retried", async () => {
    const { client: c, fetch } = client(countingFetch({ Prefer: "code=404" }), undefined, { maxAttempts: 3, baseDelayMs: 1 });
    await expect(c.listBackgroundTasks({ instanceId: INSTANCE_ID })).rejects.toBeInstanceOf(DmsApiError);
    expect(fetch.calls).toHaveLength(1);
  });
});

describe("the lifecycle methods on the mock (every answer checked against its operation's schema)", () => {
  const ids = { instanceId: INSTANCE_ID, taskId: SEED_TASK_ID };
  const taskPath = `/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks/${SEED_TASK_ID}`;
  const ak = { accessKey: "AccessKey", secretKey: "contract-test-secret-key" };

  it("getBackgroundTask: the show example's task, from one GET", async () => {
    const { client: c, fetch } = client();
    const task: BackgroundTask = await c.getBackgroundTask(ids);
    const page = (await specExample("ShowBackgroundTaskReferencePage")) as ListBackgroundTasksResponse;
    expect(task).toEqual(page.tasks[0]);
    expect(fetch.calls.map((r) => [r.method, new URL(r.url).pathname, new URL(r.url).search])).toEqual([["GET", taskPath, ""]]);
    expect(fetch.specErrors).toEqual([]);
  });

  it("getBackgroundTask: Prefer: example=KafkaExample, asked with that example's task id", async () => {
    const kafka = (await specExample("ShowBackgroundTaskKafka")) as ListBackgroundTasksResponse;
    const { client: c, fetch } = client(countingFetch({ Prefer: "example=KafkaExample" }));
    await expect(c.getBackgroundTask({ instanceId: INSTANCE_ID, taskId: kafka.tasks[0]!.id })).resolves.toEqual(kafka.tasks[0]);
    expect(fetch.specErrors).toEqual([]);
  });

  it.each([
    ["KafkaExample", "ShowBackgroundTaskProgressKafka"],
    ["RocketMqExample", "ShowBackgroundTaskProgressRocketMq"],
  ])("getBackgroundTaskProgress: Prefer: example=%s, the wire shape as is", async (example, component) => {
    const { client: c, fetch } = client(countingFetch({ Prefer: `example=${example}` }));
    const progress: BackgroundTaskProgress = await c.getBackgroundTaskProgress(ids);
    expect(progress).toEqual(await specExample(component));
    const steps: BackgroundTaskStep[] = progress.step_list ?? [];
    expect(steps.length).toBeGreaterThan(0);
    expect(new URL(fetch.calls[0]!.url).pathname).toBe(`${taskPath}/progress`);
    expect(fetch.specErrors).toEqual([]);
  });

  it("deleteBackgroundTask: one DELETE, 204, resolves with undefined", async () => {
    const { client: c, fetch } = client();
    await expect(c.deleteBackgroundTask(ids)).resolves.toBeUndefined();
    expect(fetch.calls.map((r) => [r.method, new URL(r.url).pathname])).toEqual([["DELETE", taskPath]]);
    expect(fetch.answers.map((a) => a.status)).toEqual([204]);
    expect(fetch.specErrors).toEqual([]);
  });

  it("waitForBackgroundTask: the example task is SUCCESS, so one GET and the task", async () => {
    const { client: c, fetch } = client();
    const seen: string[] = [];
    const task = await c.waitForBackgroundTask({ ...ids, onPoll: (t) => void seen.push(t.status ?? "") });
    expect(task.status).toBe("SUCCESS");
    expect(seen).toEqual(["SUCCESS"]);
    expect(fetch.calls).toHaveLength(1);
    expect(fetch.specErrors).toEqual([]);
  });

  it.each(["getBackgroundTask", "getBackgroundTaskProgress", "deleteBackgroundTask"] as const)(
    "%s with AK/SK: signed, accepted",
    async (name) => {
      const { client: c, fetch } = client(countingFetch(), ak);
      await c[name](ids);
      expect(fetch.calls[0]!.headers.get("authorization")).toMatch(/^SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/);
      expect(fetch.answers[0]!.status).toBeLessThan(300);
      expect(fetch.specErrors).toEqual([]);
    },
  );

  describe.each([
    ["showBackgroundTask", "getBackgroundTask"],
    ["showBackgroundTaskProgress", "getBackgroundTaskProgress"],
    ["deleteBackgroundTask", "deleteBackgroundTask"],
  ] as const)("%s: the declared errors become DmsApiError", (operationId, name) => {
    it("declares 400, 401, 403, 404, 429 and 500", async () => {
      expect((await declaredErrorCodes(operationId)).map(([s]) => s)).toEqual([400, 401, 403, 404, 429, 500]);
    });

    it.each([400, 401, 403, 404, 429, 500])("Prefer: code=%i", async (status) => {
      const errorCode = new Map(await declaredErrorCodes(operationId)).get(status);
      const { client: c, fetch } = client(countingFetch({ Prefer: `code=${status}` }));
      const error = await c[name](ids).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DmsApiError);
      expect(error).toMatchObject({ status, errorCode, requestId: fetch.answers[0]!.headers.get("x-request-id") });
      expect(fetch.calls).toHaveLength(1); // retry: false
      expect(fetch.specErrors).toEqual([]);
    });
  });

  it("a wait ends at once on the mock's 404 DMS.00404022 (the instance does not exist)", async () => {
    const { client: c, fetch } = client(countingFetch({ Prefer: "code=404" }));
    await expect(c.waitForBackgroundTask(ids)).rejects.toMatchObject({ status: 404, errorCode: "DMS.00404022" });
    expect(fetch.calls).toHaveLength(1);
  });

  it.each([
    ["taskId empty", { taskId: "" }, "taskId"],
    ["taskId of 65 characters", { taskId: "t".repeat(65) }, "taskId"],
    ["taskId with a slash", { taskId: "a/b" }, "taskId"],
    ["wire name task_id", { task_id: SEED_TASK_ID }, "options.task_id"],
  ])("refused before sending: %s", async (_, override, argument) => {
    const { client: c, fetch } = client();
    for (const name of ["getBackgroundTask", "getBackgroundTaskProgress", "deleteBackgroundTask", "waitForBackgroundTask"] as const) {
      const error = await c[name]({ ...ids, ...override } as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DmsValidationError);
      expect((error as DmsValidationError).argument).toBe(argument);
    }
    expect(fetch.calls).toHaveLength(0);
  });
});
