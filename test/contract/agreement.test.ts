// Property: the wrapper's input checks agree with the spec and with the mock that enforces it.
//
// For each generated input (start/limit: any number; beginTime/endTime: near-valid 14-digit
// strings, arbitrary strings, or Dates), three verdicts are computed:
//   wrapper — does listBackgroundTasks accept it (or throw DmsValidationError before sending)?
//   spec    — do the values match the parameter schemas of the bundle (Ajv)?
//   mock    — does Prism accept the raw equivalent sent with fetch (200, not 400)?
// and the property requires:
//   wrapper accepts ⇒ spec accepts ∧ mock accepts, and the wrapper's request is byte-for-byte
//                     the raw equivalent and is answered 200 (mock refuses ⇒ wrapper refuses);
//   wrapper refuses ⇒ nothing was sent;
//   spec accepts ∧ wrapper refuses ⇒ one of the documented ways the wrapper is stricter;
//   spec and mock agree, except for Prism's known leniency (an empty `name=` counts as absent).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DmsApiError, DmsValidationError, INVALID_RESPONSE } from "../../src/index.ts";
import { nearValidTime } from "../client/arbitraries.ts";
import { clientOnMock, countingFetch, INSTANCE_ID, PROJECT_ID, prismUrl, rawList, SEED_TASK_ID, TOKEN } from "./mock.ts";
import { parameterErrors } from "./schemas.ts";

type TimeInput = string | Date;
interface Input {
  start?: number;
  limit?: number;
  beginTime?: TimeInput;
  endTime?: TimeInput;
}

const pad = (n: number, w: number) => String(n).padStart(w, "0");

/** Leap-day edge cases: 29/30 February of leap and non-leap years (incl. centuries). */
const februaryTime = fc
  .tuple(fc.constantFrom(1900, 2000, 2020, 2021, 2100, 2024, 2023, 0, 4), fc.integer({ min: 27, max: 30 }))
  .map(([y, d]) => `${pad(y, 4)}02${pad(d, 2)}120000`);

const time: fc.Arbitrary<TimeInput> = fc.oneof(
  { weight: 5, arbitrary: nearValidTime },
  { weight: 2, arbitrary: februaryTime },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9]{12,16}$/) },
  // One character of a valid time replaced by anything (non-ASCII digits, whitespace, signs…).
  {
    weight: 1,
    arbitrary: fc
      .tuple(nearValidTime, fc.nat({ max: 13 }), fc.constantFrom("٠", "２", " ", "\n", "+", "-", "a", "é", "\u0000", ""))
      .map(([t, i, c]) => t.slice(0, i) + c + t.slice(i + 1)),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "2020-13-45", "1592881203000", "2020-06-23T00:00:00Z", "20200623") },
  // Dates, a few outside 0000–9999 and invalid ones included.
  {
    weight: 3,
    arbitrary: fc.date({ min: new Date(Date.UTC(-1, 0, 1)), max: new Date(Date.UTC(10001, 0, 1)), noInvalidDate: false }),
  },
);

const int32ish: fc.Arbitrary<number> = fc.oneof(
  { weight: 5, arbitrary: fc.integer({ min: -3, max: 110 }) },
  { weight: 2, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(2147483646, 2147483647, 2147483648, 2 ** 53, -0, 1.5, 99.999, 1e21, 5e-7) },
  { weight: 1, arbitrary: fc.double() }, // NaN, ±Infinity, fractions
);

const input: fc.Arbitrary<Input> = fc.record(
  { start: int32ish, limit: int32ish, beginTime: time, endTime: time },
  { requiredKeys: [] },
);

/** The raw wire value of a typed input, written independently of the wrapper. */
function rawTime(t: TimeInput): string {
  if (typeof t === "string") return t;
  if (Number.isNaN(t.getTime())) return String(t); // "Invalid Date"
  // toISOString gives ±YYYYYY for years outside 0000–9999: the digits then no longer fit 14.
  return t.toISOString().replace(/\.\d{3}Z$/, "").replace(/[-:T]/g, (c, i: number) => (i === 0 ? c : ""));
}

function rawQuery(i: Input): Record<string, string> {
  const q: Record<string, string> = {};
  if (i.start !== undefined) q.start = String(i.start);
  if (i.limit !== undefined) q.limit = String(i.limit);
  if (i.beginTime !== undefined) q.begin_time = rawTime(i.beginTime);
  if (i.endTime !== undefined) q.end_time = rawTime(i.endTime);
  return q;
}

async function specAccepts(q: Record<string, string>, i: Input): Promise<string[]> {
  const errors: string[] = [];
  if (i.start !== undefined) errors.push(...(await parameterErrors("start", i.start)));
  if (i.limit !== undefined) errors.push(...(await parameterErrors("limit", i.limit)));
  if (q.begin_time !== undefined) errors.push(...(await parameterErrors("begin_time", q.begin_time)));
  if (q.end_time !== undefined) errors.push(...(await parameterErrors("end_time", q.end_time)));
  return errors;
}

const isLeap = (y: number) => y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);

/** Why the wrapper may refuse what the spec allows (documented in src/time.ts and the spec). */
function documentedStricter(q: Record<string, string>): string | undefined {
  for (const name of ["begin_time", "end_time"] as const) {
    const v = q[name];
    if (v && /^\d{4}0229/.test(v) && !isLeap(Number(v.slice(0, 4)))) return `${name}: 29 February of a non-leap year`;
  }
  if (q.begin_time && q.end_time && q.begin_time > q.end_time) return "begin_time after end_time";
  return undefined;
}

/** Prism's leniency: `begin_time=` (empty) is treated as an absent parameter. */
function prismLeniency(q: Record<string, string>): string | undefined {
  const empty = Object.entries(q).filter(([, v]) => v === "").map(([k]) => k);
  return empty.length > 0 ? `empty ${empty.join(", ")} treated as absent by Prism` : undefined;
}

const stats = { both: 0, bothRefuse: 0, wrapperStricter: new Map<string, number>(), prismLenient: 0 };

async function check(i: Input): Promise<void> {
  const q = rawQuery(i);
  const fetch = countingFetch();
  const client = clientOnMock(fetch);

  let wrapperError: unknown;
  try {
    await client.listBackgroundTasks({ instanceId: INSTANCE_ID, ...i });
  } catch (e) {
    wrapperError = e;
  }
  const wrapperAccepts = wrapperError === undefined;
  if (!wrapperAccepts && !(wrapperError instanceof DmsValidationError)) {
    throw new Error(`the wrapper failed with something else than DmsValidationError: ${String(wrapperError)}`);
  }

  const raw = await rawList(q);
  expect([200, 400]).toContain(raw.status);
  const mockAccepts = raw.status === 200;
  const specErrors = await specAccepts(q, i);
  const spec = specErrors.length === 0;
  const context = () => `input ${fmt(i)} → raw ${JSON.stringify(q)}: wrapper ${wrapperAccepts ? "accepts" : `refuses (${(wrapperError as Error).message})`}, spec ${spec ? "accepts" : `refuses (${specErrors.join("; ")})`}, mock ${raw.status} ${JSON.stringify(raw.violations.map((v) => v.message))}`;

  if (wrapperAccepts) {
    expect(spec, context()).toBe(true);
    expect(mockAccepts, context()).toBe(true);
    // What the wrapper sent is the raw equivalent, and the mock accepted it.
    expect(fetch.calls, context()).toHaveLength(1);
    expect(Object.fromEntries(new URL(fetch.calls[0]!.url).searchParams), context()).toEqual(q);
    expect(fetch.answers.map((a) => a.status), context()).toEqual([200]);
    expect(fetch.specErrors, context()).toEqual([]);
    stats.both++;
  } else {
    expect(fetch.calls, context()).toHaveLength(0);
    if (spec) {
      const why = documentedStricter(q);
      expect(why, `the wrapper refuses an input the spec allows, for no documented reason: ${context()}`).toBeDefined();
      stats.wrapperStricter.set(why!, (stats.wrapperStricter.get(why!) ?? 0) + 1);
    } else {
      stats.bothRefuse++;
    }
  }

  if (spec !== mockAccepts) {
    const leniency = !spec && mockAccepts ? prismLeniency(q) : undefined;
    expect(leniency, `spec and mock disagree: ${context()}`).toBeDefined();
    stats.prismLenient++;
  }
}

function fmt(i: Input): string {
  return JSON.stringify(i, (_k, v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

describe("wrapper validation vs spec vs mock (property-based)", () => {
  it("agree on every generated input", async () => {
    await fc.assert(fc.asyncProperty(input, check), { numRuns: 200 });
    // Both outcomes must actually have been exercised.
    expect(stats.both).toBeGreaterThan(5);
    expect(stats.bothRefuse).toBeGreaterThan(5);
    console.log(
      `agreement: ${stats.both} accepted by all, ${stats.bothRefuse} refused by wrapper and spec, ` +
        `wrapper stricter: ${JSON.stringify(Object.fromEntries(stats.wrapperStricter))}, Prism lenient: ${stats.prismLenient}`,
    );
  }, 120_000);

  it("agree on valid-looking windows (start/limit in range, near-valid times)", async () => {
    const windows = fc.record(
      {
        start: fc.integer({ min: 0, max: 5 }),
        limit: fc.integer({ min: 0, max: 101 }),
        beginTime: fc.oneof(nearValidTime, februaryTime),
        endTime: fc.oneof(nearValidTime, februaryTime),
      },
      { requiredKeys: ["beginTime"] },
    );
    await fc.assert(fc.asyncProperty(windows, check), { numRuns: 150 });
  }, 120_000);

  it("known counterexamples of the past stay fixed", async () => {
    for (const i of [
      { beginTime: "20210229000000" },
      { beginTime: "20000229000000" },
      { beginTime: "19000229000000" },
      { beginTime: "" },
      { start: -0 },
      { limit: 1e21 },
      { beginTime: new Date(Date.parse("0000-01-01T00:00:00.000Z") - 1) },
      { beginTime: new Date(Date.parse("0000-01-01T00:00:00.000Z")) },
      { endTime: new Date(Date.parse("9999-12-31T23:59:59.999Z")) },
      { beginTime: new Date(Number.NaN) },
    ] satisfies Input[]) {
      await check(i);
    }
  });
});

// The task routes: taskId checked by the wrapper, by the spec's TaskId schema and by the mock.
const TASK_CALLS = [
  { name: "getBackgroundTask", operationId: "showBackgroundTask", method: "GET", suffix: "" },
  { name: "getBackgroundTaskProgress", operationId: "showBackgroundTaskProgress", method: "GET", suffix: "/progress" },
  { name: "deleteBackgroundTask", operationId: "deleteBackgroundTask", method: "DELETE", suffix: "" },
] as const;

const taskId: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{60,70}$/) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom("", ".", "..", "a b", "a/b", "a%2Fb", "é", "t?x#y", "-", "_", "0") },
);

const taskStats = { both: 0, bothRefuse: 0 };

async function checkTask(call: (typeof TASK_CALLS)[number], id: string): Promise<void> {
  const fetch = countingFetch();
  const client = clientOnMock(fetch);
  let wrapperError: unknown;
  try {
    await client[call.name]({ instanceId: INSTANCE_ID, taskId: id });
  } catch (e) {
    wrapperError = e;
  }
  const spec = (await parameterErrors("task_id", id, call.operationId)).length === 0;
  const context = `${call.name} taskId ${JSON.stringify(id)}: wrapper ${wrapperError === undefined ? "accepts" : String(wrapperError)}, spec ${spec}`;
  // The mock answers show with its example's task whatever the id, so for any other id the
  // wrapper sends the request and then rejects the answer (InvalidResponse): the input passed.
  const otherTask = wrapperError instanceof DmsApiError && wrapperError.errorCode === INVALID_RESPONSE && id !== SEED_TASK_ID;
  if (wrapperError === undefined || (call.name === "getBackgroundTask" && otherTask)) {
    expect(spec, context).toBe(true);
    expect(fetch.calls.map((r) => [r.method, new URL(r.url).pathname]), context).toEqual([
      [call.method, `/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks/${encodeURIComponent(id)}${call.suffix}`],
    ]);
    expect(fetch.answers[0]!.status, context).toBeLessThan(300); // the mock accepts what the wrapper sends
    expect(fetch.specErrors, context).toEqual([]);
    taskStats.both++;
  } else {
    expect(wrapperError, context).toBeInstanceOf(DmsValidationError);
    expect(fetch.calls, context).toHaveLength(0);
    expect(spec, `the wrapper refuses a task id the spec allows: ${context}`).toBe(false);
    if (id !== "" && id !== "." && id !== "..") {
      // Sent raw, the mock refuses it too (a path the URL parser would rewrite cannot be sent as such).
      const res = await globalThis.fetch(
        `${prismUrl()}/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks/${encodeURIComponent(id)}${call.suffix}`,
        { method: call.method, headers: { "X-Auth-Token": TOKEN } },
      );
      await res.arrayBuffer();
      expect(res.status, context).toBeGreaterThanOrEqual(400);
    }
    taskStats.bothRefuse++;
  }
}

describe("taskId: wrapper vs spec vs mock (property-based)", () => {
  it("agree on every generated task id, for show, progress and delete", async () => {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...TASK_CALLS), taskId, checkTask), { numRuns: 150 });
    expect(taskStats.both).toBeGreaterThan(5);
    expect(taskStats.bothRefuse).toBeGreaterThan(5);
  }, 120_000);
});
