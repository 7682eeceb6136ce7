// Raw HTTP against the Prism mock of the bundle: what the spec forbids is refused, what it allows is
// answered with the seed's example, and every body matches the spec's schemas (see mock.ts). The
// list first, then the task routes (show, progress, delete), whose bodies are checked the same way.
//
// Prism answers a request the spec forbids with the spec's declared 400 (BadRequest example,
// `DMS.00400062`) and lists the reasons in its `sl-violations` header. It would answer 422 only if
// the spec declared no 400. Missing credentials get the declared 401.
import { describe, expect, it } from "vitest";
import { declaredErrorCodes } from "./spec-errors.ts";
import { assertMatchesSpec } from "./schemas.ts";
import { INSTANCE_ID, PROJECT_ID, prismUrl, rawList, SEED_TASK_ID, specExample, TOKEN, type RawAnswer } from "./mock.ts";

/** The spec's declared error responses: `[status, example error_code]`. */
const codes = await declaredErrorCodes();

describe("requests the spec forbids are refused by the mock", () => {
  const forbidden: [string, Record<string, string>][] = [
    ["limit 0", { limit: "0" }],
    ["limit 101", { limit: "101" }],
    ["limit -1", { limit: "-1" }],
    ["limit not a number", { limit: "ten" }],
    ["limit not an integer", { limit: "1.5" }],
    ["start 0", { start: "0" }],
    ["start -5", { start: "-5" }],
    ["start above int32", { start: "2147483648" }],
    ["begin_time with separators (2020-13-45)", { begin_time: "2020-13-45" }],
    ["begin_time month 13 (20201345000000)", { begin_time: "20201345000000" }],
    ["begin_time as 13-digit epoch milliseconds", { begin_time: "1592881203000" }],
    ["begin_time with 15 digits", { begin_time: "202006230000000" }],
    ["begin_time 30 February", { begin_time: "20200230000000" }],
    ["begin_time 31 April", { begin_time: "20200431000000" }],
    ["begin_time hour 24", { begin_time: "20200623240000" }],
    ["begin_time ISO 8601", { begin_time: "2020-06-23T00:00:00Z" }],
    ["end_time minute 60", { end_time: "20200623006000" }],
    ["end_time empty day (00)", { end_time: "20200600000000" }],
  ];

  it.each(forbidden)("%s → 400 with the spec's error body", async (_name, query) => {
    const answer = await rawList(query);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error_code: "DMS.00400062" });
    // The refusal is about that parameter, not something else.
    const param = Object.keys(query)[0]!;
    expect(answer.violations.map((v) => v.location.join("."))).toContain(`request.query.${param}`);
  });
});

describe("requests the spec allows get the seed's example", () => {
  const allowed: [string, Record<string, string>][] = [
    ["no query", {}],
    ["limit 10", { limit: "10" }],
    ["limit 1", { limit: "1" }],
    ["limit 100", { limit: "100" }],
    ["start 1", { start: "1" }],
    ["start int32 max", { start: "2147483647" }],
    ["a time window", { begin_time: "20200623000000", end_time: "20200624000000" }],
    ["29 February of a leap year", { begin_time: "20200229235959" }],
    // The spec's pattern does not check leap years (documented); the wrapper is stricter.
    ["29 February of a non-leap year (spec accepts)", { begin_time: "20210229000000" }],
    ["everything", { start: "1", limit: "100", begin_time: "20200623000000", end_time: "20200624000000" }],
  ];

  it.each(allowed)("%s → 200", async (_name, query) => {
    const answer = await rawList(query);
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await specExample("ListBackgroundTasksReferencePage"));
    const page = answer.body as { task_count: string; tasks: { id: string }[] };
    expect(page.task_count).toBe("1");
    expect(page.tasks[0]?.id).toBe(SEED_TASK_ID);
    expect(answer.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9-]+$/);
  });

  it("Prefer: example=SeveralTasks picks the second example", async () => {
    const answer = await rawList({ start: "3", limit: "2" }, { "X-Auth-Token": "t", Prefer: "example=SeveralTasks" });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await specExample("ListBackgroundTasksSeveral"));
  });
});

describe("authentication", () => {
  it("no credentials → 401 with the spec's Unauthorized example", async () => {
    const answer = await rawList({ limit: "10" }, {});
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error_code: "APIGW.0301" });
    expect(answer.violations).toEqual([expect.objectContaining({ code: 401, message: "Invalid security scheme used" })]);
  });

  it("an empty X-Auth-Token → 401", async () => {
    expect((await rawList({}, { "X-Auth-Token": "" })).status).toBe(401);
  });

  it("either scheme is enough: X-Auth-Token, or Authorization (Prism checks presence, not the signature)", async () => {
    expect((await rawList({}, { "X-Auth-Token": "any" })).status).toBe(200);
    const signed = { Authorization: "SDK-HMAC-SHA256 Access=AK, SignedHeaders=x-sdk-date, Signature=00", "X-Sdk-Date": "20060102T150405Z" };
    expect((await rawList({}, signed)).status).toBe(200);
  });

  it("credentials are checked before the query: no credentials and a bad limit → 401", async () => {
    expect((await rawList({ limit: "0" }, {})).status).toBe(401);
  });
});

describe("declared error responses (Prefer: code=…) carry the spec's ErrorResponse examples", () => {
  it("the bundle declares error responses, 400 and 401 among them", () => {
    expect(codes.map(([status]) => status)).toEqual(expect.arrayContaining([400, 401]));
  });
  it.each(codes)("%i → error_code %s", async (status, errorCode) => {
    const answer = await rawList({}, { "X-Auth-Token": "t", Prefer: `code=${status}` });
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject({ error_code: errorCode, error_msg: expect.any(String) });
    expect(answer.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9-]+$/);
  });
});

// ---------------------------------------------------------------------------------------------
// The task lifecycle operations: show, progress and delete of one task.

type TaskOperation = "showBackgroundTask" | "showBackgroundTaskProgress" | "deleteBackgroundTask";
const TASK_OPERATIONS: { op: TaskOperation; method: "GET" | "DELETE"; suffix: string }[] = [
  { op: "showBackgroundTask", method: "GET", suffix: "" },
  { op: "showBackgroundTaskProgress", method: "GET", suffix: "/progress" },
  { op: "deleteBackgroundTask", method: "DELETE", suffix: "" },
];

/** A raw request to a task route; the body (JSON, or none) is validated against the spec first. */
async function rawTask(
  op: TaskOperation,
  headers: Record<string, string> = { "X-Auth-Token": TOKEN },
  taskId = SEED_TASK_ID,
): Promise<RawAnswer & { text: string }> {
  const { method, suffix } = TASK_OPERATIONS.find((t) => t.op === op)!;
  const url = `${prismUrl()}/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks/${encodeURIComponent(taskId)}${suffix}`;
  const res = await fetch(url, { method, headers });
  const text = await res.text();
  const body: unknown = text === "" ? undefined : JSON.parse(text);
  await assertMatchesSpec(res.status, body, op);
  const sl = res.headers.get("sl-violations");
  return { status: res.status, headers: res.headers, body, text, violations: sl ? JSON.parse(sl) : [] };
}

describe("GET …/tasks/{task_id} (showBackgroundTask)", () => {
  it("answers 200 with the seed's task, in the list's shape", async () => {
    const answer = await rawTask("showBackgroundTask");
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await specExample("ShowBackgroundTaskReferencePage"));
    expect(answer.body).toEqual(await specExample("ListBackgroundTasksReferencePage"));
    const page = answer.body as { task_count: string; tasks: { id: string; status: string }[] };
    expect(page.tasks.map((t) => [t.id, t.status])).toEqual([[SEED_TASK_ID, "SUCCESS"]]);
    expect(answer.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9-]+$/);
  });

  it("Prefer: example=KafkaExample picks the Kafka page's task", async () => {
    const answer = await rawTask("showBackgroundTask", { "X-Auth-Token": TOKEN, Prefer: "example=KafkaExample" });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await specExample("ShowBackgroundTaskKafka"));
    expect((answer.body as { tasks: { id: string }[] }).tasks[0]?.id).toBe("8abfa7b272adc5b40172b73130065ae7");
  });
});

describe("GET …/tasks/{task_id}/progress (showBackgroundTaskProgress)", () => {
  it("answers 200 with the Kafka example: two completed steps, times as epoch milliseconds", async () => {
    const answer = await rawTask("showBackgroundTaskProgress");
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await specExample("ShowBackgroundTaskProgressKafka"));
    const progress = answer.body as { progress_percentage: number; step_list: { statue: string; start_time: number }[] };
    expect(progress.progress_percentage).toBe(100);
    expect(progress.step_list.map((s) => s.statue)).toEqual(["COMPLETED", "COMPLETED"]);
    expect(Number.isInteger(progress.step_list[0]?.start_time)).toBe(true);
  });

  it("Prefer: example=RocketMqExample picks the running RocketMQ task, whose unfinished steps have null times", async () => {
    const answer = await rawTask("showBackgroundTaskProgress", { "X-Auth-Token": TOKEN, Prefer: "example=RocketMqExample" });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(await specExample("ShowBackgroundTaskProgressRocketMq"));
    expect(answer.body).toMatchObject({
      progress_percentage: 40,
      remain_time: 1124,
      step_list: [
        { statue: "IN_PROGRESS", end_time: null },
        { statue: "WAITING", start_time: null, end_time: null },
      ],
    });
  });
});

describe("DELETE …/tasks/{task_id} (deleteBackgroundTask)", () => {
  it("answers 204 with an empty body", async () => {
    const answer = await rawTask("deleteBackgroundTask");
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBe(204);
    expect(answer.text).toBe("");
    expect(answer.body).toBeUndefined();
  });

  it("the spec check refuses a body on 204 (guards the validation of every answer above)", async () => {
    await expect(assertMatchesSpec(204, {}, "deleteBackgroundTask")).rejects.toThrow(/declares no body/);
    await expect(assertMatchesSpec(200, { progress_percentage: "40" }, "showBackgroundTaskProgress")).rejects.toThrow(/integer/);
  });
});

describe.each(TASK_OPERATIONS)("$method …/tasks/{task_id}$suffix ($op): what the spec forbids, and declared errors", ({ op }) => {
  it("no credentials → 401 with the spec's Unauthorized example", async () => {
    const answer = await rawTask(op, {});
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error_code: "APIGW.0301" });
  });

  it.each([
    ["a dot (a.b)", "a.b"],
    ["a space", "a b"],
    ["65 characters", "a".repeat(65)],
  ])("task_id with %s → 400 about task_id", async (_name, taskId) => {
    const answer = await rawTask(op, { "X-Auth-Token": TOKEN }, taskId);
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ error_code: "DMS.00400026" });
    expect(answer.violations.map((v) => v.location.join("."))).toContain("request.path.task_id");
  });

  it("task_id of 64 characters is allowed", async () => {
    const answer = await rawTask(op, { "X-Auth-Token": TOKEN }, "a".repeat(64));
    expect(answer.violations).toEqual([]);
    expect(answer.status).toBeLessThan(300);
  });

  it("declares 400, 401, 403, 404, 429 and 500, and the mock answers each with its example (Prefer: code=…)", async () => {
    const declared = await declaredErrorCodes(op);
    expect(declared.map(([status]) => status)).toEqual([400, 401, 403, 404, 429, 500]);
    for (const [status, errorCode] of declared) {
      const answer = await rawTask(op, { "X-Auth-Token": TOKEN, Prefer: `code=${status}` });
      expect(answer.status, `Prefer: code=${status}`).toBe(status);
      expect(answer.body).toMatchObject({ error_code: errorCode, error_msg: expect.any(String) });
      expect(answer.headers.get("x-request-id")).toMatch(/^[A-Za-z0-9-]+$/);
    }
  });

  it("Prefer: code=404 → the spec's TaskNotFound example (DMS.00404022)", async () => {
    const answer = await rawTask(op, { "X-Auth-Token": TOKEN, Prefer: "code=404" });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error_code: "DMS.00404022", error_msg: "This instance does not exist." });
  });
});
