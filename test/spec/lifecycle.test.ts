// The task lifecycle operations beside the seed's list (issue 9): show one task, its progress, and
// its deletion. Their facts come from Huawei's SDKs, API Explorer definitions and pages and from
// Terraform (../shared/facts/task-lifecycle.md); these tests pin what the spec promises about them.
import { describe, expect, it } from "vitest";
import { loadBundle, loadRawBundle, schemaErrors, type OpenAPIV3 } from "./load-bundle.ts";

const api = await loadBundle();
const raw = await loadRawBundle();

const LIST = "/v2/{project_id}/instances/{instance_id}/tasks";
const TASK = `${LIST}/{task_id}`;
const PROGRESS = `${TASK}/progress`;
const ERRORS = ["400", "401", "403", "404", "429", "500"];

const item = (path: string) => api.paths[path] as OpenAPIV3.PathItemObject;
const show = item(TASK)?.get as OpenAPIV3.OperationObject;
const progress = item(PROGRESS)?.get as OpenAPIV3.OperationObject;
const del = item(TASK)?.delete as OpenAPIV3.OperationObject;
const list = item(LIST)?.get as OpenAPIV3.OperationObject;
const schemas = api.components?.schemas as Record<string, OpenAPIV3.SchemaObject>;
const stepDetail = schemas.StepDetail!;
const progressResponse = schemas.ShowBackgroundTaskProgressResponse!;
const ops = [
  ["showBackgroundTask", TASK, "get", show],
  ["showBackgroundTaskProgress", PROGRESS, "get", progress],
  ["deleteBackgroundTask", TASK, "delete", del],
] as const;

const media = (op: OpenAPIV3.OperationObject, code: string) =>
  (op.responses[code] as OpenAPIV3.ResponseObject).content?.["application/json"] as OpenAPIV3.MediaTypeObject | undefined;
const examples = (op: OpenAPIV3.OperationObject, code: string) =>
  Object.fromEntries(Object.entries(media(op, code)?.examples ?? {}).map(([k, v]) => [k, (v as OpenAPIV3.ExampleObject).value]));
const plain = (text: string | undefined) => (text ?? "").replace(/\s+/g, " ");

describe("paths and operations", () => {
  it("the bundle has exactly the list and the three task routes, each method once", () => {
    const methods = Object.entries(raw.paths).map(([path, it]) => [
      path,
      Object.keys(it ?? {}).filter((k) => ["get", "put", "post", "delete", "patch", "options", "head", "trace"].includes(k)),
    ]);
    expect(methods).toEqual([
      [LIST, ["get"]],
      [TASK, ["get", "delete"]],
      [PROGRESS, ["get"]],
    ]);
  });

  it.each(ops)("%s is %s %s, tagged Background Tasks", (operationId, _path, _method, op) => {
    expect(op.operationId).toBe(operationId);
    expect(op.tags).toEqual(["Background Tasks"]);
    expect(op.summary).toBeTruthy();
  });

  it.each(ops)("%s takes project_id, instance_id and task_id in the path, nothing else, no body", (_id, path, _m, op) => {
    const params = [...(item(path).parameters ?? []), ...(op.parameters ?? [])] as OpenAPIV3.ParameterObject[];
    expect(params.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual([
      "path:project_id:true",
      "path:instance_id:true",
      "path:task_id:true",
    ]);
    expect(op.requestBody).toBeUndefined();
  });

  it("task_id has the same bounds as project_id and instance_id", () => {
    const p = api.components?.parameters as Record<string, OpenAPIV3.ParameterObject>;
    const bounds = (name: string) => {
      const { type, minLength, maxLength, pattern } = p[name]!.schema as OpenAPIV3.SchemaObject;
      return { type, minLength, maxLength, pattern };
    };
    expect(bounds("TaskId")).toEqual(bounds("InstanceId"));
    expect(bounds("TaskId")).toEqual(bounds("ProjectId"));
    const taskId = p.TaskId!.schema as OpenAPIV3.SchemaObject;
    expect(schemaErrors(taskId, "ff80808272dcc90f0172df1e490f41b0")).toEqual([]);
    for (const bad of ["", "a.b", "a/b", "a b", "x".repeat(65)]) expect(schemaErrors(taskId, bad), JSON.stringify(bad)).not.toEqual([]);
  });

  it.each(ops)("%s declares 400, 401, 403, 404, 429 and 500 with the ErrorResponse schema", (_id, _p, _m, op) => {
    const codes = Object.keys(op.responses).filter((c) => !c.startsWith("2"));
    expect(codes).toEqual(ERRORS);
    for (const code of codes) expect(media(op, code)?.schema).toBe(schemas.ErrorResponse);
  });
});

describe("responses", () => {
  it("show answers 200 with the list's schema (the very same object), and only 200 as success", () => {
    expect(Object.keys(show.responses).filter((c) => c.startsWith("2"))).toEqual(["200"]);
    expect(media(show, "200")?.schema).toBe(schemas.ListBackgroundTasksResponse);
    expect(media(show, "200")?.schema).toBe(media(list, "200")?.schema);
  });

  it("progress answers 200 with ShowBackgroundTaskProgressResponse, whose steps are StepDetail", () => {
    expect(Object.keys(progress.responses).filter((c) => c.startsWith("2"))).toEqual(["200"]);
    expect(media(progress, "200")?.schema).toBe(progressResponse);
    expect(Object.keys(progressResponse.properties ?? {})).toEqual(["progress_percentage", "remain_time", "step_list"]);
    expect((progressResponse.properties?.step_list as OpenAPIV3.ArraySchemaObject).items).toBe(stepDetail);
    expect(Object.keys(stepDetail.properties ?? {})).toEqual(["name", "statue", "start_time", "end_time"]);
  });

  it("delete answers 204 with no body, and no other success", () => {
    expect(Object.keys(del.responses).filter((c) => c.startsWith("2"))).toEqual(["204"]);
    expect((del.responses["204"] as OpenAPIV3.ResponseObject).content).toBeUndefined();
  });

  it("the show example is the seed's task (the list's reference page example), plus the Kafka page's", () => {
    const ex = examples(show, "200");
    expect(Object.keys(ex)).toEqual(["ReferencePageExample", "KafkaExample"]);
    expect(ex.ReferencePageExample).toEqual(examples(list, "200").ReferencePageExample);
    expect((ex.KafkaExample as { tasks: { id: string; user_name: string }[] }).tasks[0]).toMatchObject({
      id: "8abfa7b272adc5b40172b73130065ae7",
      user_name: "paas_dms",
    });
  });

  it("the progress examples are the Kafka and RocketMQ ones", () => {
    const ex = examples(progress, "200");
    expect(Object.keys(ex)).toEqual(["KafkaExample", "RocketMqExample"]);
    expect(ex.KafkaExample).toMatchObject({ progress_percentage: 100, remain_time: 0 });
    expect(ex.RocketMqExample).toMatchObject({ progress_percentage: 40, remain_time: 1124 });
  });

  it.each(ops.filter(([, , , op]) => op !== del))("%s: every 200 example validates against its schema", (_id, _p, _m, op) => {
    const schema = media(op, "200")!.schema!;
    const ex = Object.entries(examples(op, "200"));
    expect(ex.length).toBeGreaterThan(0);
    for (const [name, value] of ex) expect(schemaErrors(schema, value), name).toEqual([]);
  });
});

describe("StepDetail", () => {
  const step = { name: "disk_expansion", statue: "COMPLETED", start_time: 1763350111326, end_time: 1763350189383 };

  it.each([
    ["a finished step", step],
    ["a running step (end_time null)", { ...step, statue: "IN_PROGRESS", end_time: null }],
    ["a waiting step (both times null)", { name: "resume_operation", statue: "WAITING", start_time: null, end_time: null }],
    ["no field at all (none is mandatory)", {}],
    ["a status this document does not know yet (open set)", { ...step, statue: "ROLLING_BACK" }],
    ["an unknown extra field", { ...step, step_id: 3 }],
  ])("accepts %s", (_, value) => {
    expect(schemaErrors(stepDetail, value)).toEqual([]);
  });

  it.each([
    ["start_time as a string (the older documentation's type)", { ...step, start_time: "1763350111326" }, /^\/start_time must be integer,null/],
    ["end_time with a fraction", { ...step, end_time: 1763350189383.5 }, /^\/end_time must be integer/],
    ["start_time negative", { ...step, start_time: -1 }, /^\/start_time must be >= 0/],
    ["start_time beyond 2^53-1", { ...step, start_time: 2 ** 53 }, /^\/start_time must be <= 9007199254740991/],
    ["statue not a string", { ...step, statue: 1 }, /^\/statue must be string/],
    ["name not a string", { ...step, name: null }, /^\/name must be string/],
    ["not an object", "pre_check", /^\(root\) must be object/],
  ])("rejects %s", (_, value, expected) => {
    const errors = schemaErrors(stepDetail, value);
    expect(errors.some((e) => expected.test(e)), errors.join("\n") || "no error").toBe(true);
  });

  it("documents the spelling statue (sic) and the earlier status, and the four step values", () => {
    const statue = stepDetail.properties?.statue as OpenAPIV3.SchemaObject & { "x-extensible-enum"?: string[] };
    expect(stepDetail.properties).not.toHaveProperty("status");
    expect(statue["x-extensible-enum"]).toEqual(["COMPLETED", "IN_PROGRESS", "FAILED", "WAITING"]);
    expect(statue.enum).toBeUndefined(); // open: a new value must not fail validation
    expect(plain(statue.description)).toMatch(/spelled `statue` \(sic\), not `status`/);
  });

  it.each(["start_time", "end_time"])("%s: nullable int64 epoch milliseconds, the type disagreement stated", (name) => {
    const time = stepDetail.properties?.[name] as OpenAPIV3.SchemaObject;
    expect([time.type, time.format, time.nullable]).toEqual(["integer", "int64", true]);
    expect(plain(time.description)).toMatch(/milliseconds since the Unix epoch/);
    expect(plain(time.description)).toMatch(/string/);
    expect(plain(time.description)).toMatch(/Node/);
  });
});

describe("ShowBackgroundTaskProgressResponse", () => {
  const body = { progress_percentage: 40, remain_time: 1124, step_list: [{ name: "rolling_scaling", statue: "IN_PROGRESS", start_time: 1765307543286, end_time: null }] };

  it.each([
    ["the RocketMQ-like body", body],
    ["an empty step list", { ...body, step_list: [] }],
    ["0 and 100 percent", { ...body, progress_percentage: 100, remain_time: 0 }],
    ["an empty object (no field is mandatory)", {}],
  ])("accepts %s", (_, value) => {
    expect(schemaErrors(progressResponse, value)).toEqual([]);
  });

  it.each([
    ["progress_percentage as a string", { ...body, progress_percentage: "40" }, /^\/progress_percentage must be integer/],
    ["progress_percentage above 100", { ...body, progress_percentage: 101 }, /^\/progress_percentage must be <= 100/],
    ["progress_percentage negative", { ...body, progress_percentage: -1 }, /^\/progress_percentage must be >= 0/],
    ["remain_time with a fraction", { ...body, remain_time: 1.5 }, /^\/remain_time must be integer/],
    ["remain_time null", { ...body, remain_time: null }, /^\/remain_time must be integer/],
    ["step_list not an array", { ...body, step_list: body.step_list[0] }, /^\/step_list must be array/],
    ["a step with a string time", { ...body, step_list: [{ start_time: "2025-12-09" }] }, /^\/step_list\/0\/start_time must be integer,null/],
    ["more than 100 steps", { ...body, step_list: Array.from({ length: 101 }, () => ({})) }, /^\/step_list must NOT have more than 100 items/],
  ])("rejects %s", (_, value, expected) => {
    const errors = schemaErrors(progressResponse, value);
    expect(errors.some((e) => expected.test(e)), errors.join("\n") || "no error").toBe(true);
  });

  it("remain_time says its unit is not documented", () => {
    expect(plain((progressResponse.properties?.remain_time as OpenAPIV3.SchemaObject).description)).toMatch(/No unit is documented/);
  });
});

describe("what the descriptions must state", () => {
  it("progress: Kafka and RocketMQ only (not RabbitMQ), and Kafka documents it only for capacity expansion", () => {
    const text = plain(progress.description);
    expect(text).toMatch(/Kafka and RocketMQ only/);
    expect(text).toMatch(/RabbitMQ has no such operation/);
    expect(text).toMatch(/only during Kafka capacity expansion/);
  });

  it("show: the six task statuses, which this package treats as terminal, and Terraform's per-engine rules", () => {
    const text = plain(show.description);
    for (const status of ["CREATED", "EXECUTING", "SUCCESS", "FAILED", "DELETED", "CANCELLED"]) expect(text).toContain(`\`${status}\``);
    expect(text).toMatch(/waits until `SUCCESS`/);
    expect(text).toMatch(/error on `FAILED`, `CANCELLED` or `DELETED`/);
    expect(text).toMatch(/still pending/);
    expect(text).toMatch(/Terraform .* differently per engine/);
  });

  it("the task status stays an open set of the six values", () => {
    const status = (schemas.BackgroundTask!.properties?.status ?? {}) as OpenAPIV3.SchemaObject & { "x-extensible-enum"?: string[] };
    expect(status["x-extensible-enum"]).toEqual(["CREATED", "EXECUTING", "SUCCESS", "FAILED", "DELETED", "CANCELLED"]);
    expect(status.enum).toBeUndefined();
  });

  it.each(ops)("%s says that no source documents what a missing task_id returns", (_id, _p, _m, op) => {
    const notFound = plain((op.responses["404"] as OpenAPIV3.ResponseObject).description);
    expect(notFound).toMatch(/No source says what a `task_id` that does not exist returns/);
    expect(plain(op.description)).toMatch(/(not documented|No source says)/);
  });

  it("title and tag speak of background tasks in general; the version is a minor bump of 2.0.0", () => {
    expect(raw.info.title).toBe("Huawei Cloud DMS — Background Tasks");
    expect(raw.info.version).toBe("2.1.0");
    expect(raw.tags?.map((t) => t.name)).toEqual(["Background Tasks"]);
    expect(raw.tags?.[0]?.description).toMatch(/progress/);
  });
});
