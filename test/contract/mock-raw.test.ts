// Raw HTTP against the Prism mock of the bundle: what the spec forbids is refused, what it allows is
// answered with the seed's example, and every body matches the spec's schemas (see mock.ts).
//
// Prism answers a request the spec forbids with the spec's declared 400 (BadRequest example,
// `DMS.00400062`) and lists the reasons in its `sl-violations` header. It would answer 422 only if
// the spec declared no 400. Missing credentials get the declared 401.
import { describe, expect, it } from "vitest";
import { declaredErrorCodes } from "./spec-errors.ts";
import { rawList, SEED_TASK_ID, specExample } from "./mock.ts";

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
