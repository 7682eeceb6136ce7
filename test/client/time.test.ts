/** toQueryTime and the query-time checks, against Date and against the spec's own pattern. */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DmsValidationError, toQueryTime } from "../../src/index.js";
import { isQueryTimeString, queryTimeArg } from "../../src/time.js";
import { nearValidTime } from "./arbitraries.js";

const SPEC_PATTERN = new RegExp(
  (parse(readFileSync(new URL("../../spec/components/schemas/QueryTime.yaml", import.meta.url), "utf8")) as { pattern: string })
    .pattern,
);

/** Dates with a 4-digit UTC year (0000-9999). */
const FIRST = new Date(0);
FIRST.setUTCFullYear(0, 0, 1);
FIRST.setUTCHours(0, 0, 0, 0);
const LAST = new Date(0);
LAST.setUTCFullYear(9999, 11, 31);
LAST.setUTCHours(23, 59, 59, 999);
const dates = fc.date({ min: FIRST, max: LAST, noInvalidDate: true });

/** Oracle: do Date's UTC fields, after normalisation, give back exactly these digits? */
function dateAgrees(s: string): boolean {
  if (!/^[0-9]{14}$/.test(s)) return false;
  const f = [0, 4, 6, 8, 10, 12].map((i, k) => +s.slice(i, k === 0 ? 4 : i + 2));
  const d = new Date(0);
  d.setUTCFullYear(f[0]!, f[1]! - 1, f[2]!);
  d.setUTCHours(f[3]!, f[4]!, f[5]!, 0);
  const back = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
  return back.every((v, i) => v === f[i]);
}

describe("toQueryTime", () => {
  it("formats UTC fields", () => {
    expect(toQueryTime(new Date("2020-06-23T03:00:03.471Z"))).toBe("20200623030003");
    expect(toQueryTime(new Date("2020-06-23T23:30:00-05:00"))).toBe("20200624043000");
    expect(toQueryTime(FIRST)).toBe("00000101000000");
    expect(toQueryTime(LAST)).toBe("99991231235959");
  });

  it("property: 14 digits that round-trip the Date's UTC fields, and the spec accepts them", () => {
    fc.assert(
      fc.property(dates, (d) => {
        const s = toQueryTime(d);
        expect(s).toMatch(/^\d{14}$/);
        expect(+s.slice(0, 4)).toBe(d.getUTCFullYear());
        expect(+s.slice(4, 6)).toBe(d.getUTCMonth() + 1);
        expect(+s.slice(6, 8)).toBe(d.getUTCDate());
        expect(+s.slice(8, 10)).toBe(d.getUTCHours());
        expect(+s.slice(10, 12)).toBe(d.getUTCMinutes());
        expect(+s.slice(12, 14)).toBe(d.getUTCSeconds());
        expect(s).toMatch(SPEC_PATTERN);
        expect(isQueryTimeString(s)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("rejects invalid Dates, years outside 0000-9999 and non-Dates with DmsValidationError", () => {
    expect(() => toQueryTime(new Date(NaN))).toThrow(DmsValidationError);
    expect(() => toQueryTime(new Date(LAST.getTime() + 1))).toThrow(/year/);
    expect(() => toQueryTime(new Date(FIRST.getTime() - 1))).toThrow(/year/);
    expect(() => toQueryTime("20200101000000" as unknown as Date)).toThrow(DmsValidationError);
  });
});

describe("query-time strings", () => {
  it.each(["20240229000000", "20000229235959", "00000229000000", "20201231235959", "19700101000000"])("accepts %s", (s) => {
    expect(isQueryTimeString(s)).toBe(true);
  });

  it.each([
    ["Feb 29 of a non-leap year", "20230229000000"],
    ["Feb 29 of 1900", "19000229000000"],
    ["Feb 30", "20240230000000"],
    ["April 31", "20240431000000"],
    ["month 13", "20241301000000"],
    ["month 00", "20240001000000"],
    ["day 00", "20240100000000"],
    ["hour 24", "20240101240000"],
    ["minute 60", "20240101006000"],
    ["second 60 (no leap seconds)", "20240101000060"],
    ["13 digits", "2024010100000"],
    ["15 digits", "202401010000000"],
    ["separators", "2024-01-01T00:"],
    ["fullwidth digits", "２０２４０１０１０００００"],
    ["a trailing newline", "20240101000000\n"],
  ])("rejects %s", (_, s) => {
    expect(isQueryTimeString(s)).toBe(false);
    expect(() => queryTimeArg("beginTime", s)).toThrow(DmsValidationError);
  });

  it("property: accepted iff Date agrees it is a real instant; everything accepted matches the spec pattern", () => {
    const digits14 = fc.stringMatching(/^\d{14}$/);
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(digits14, nearValidTime, fc.string()), (s) => {
        const ok = isQueryTimeString(s);
        expect(ok).toBe(dateAgrees(s));
        if (ok) {
          accepted++;
          expect(s).toMatch(SPEC_PATTERN);
          expect(queryTimeArg("endTime", s)).toBe(s);
        } else {
          expect(() => queryTimeArg("endTime", s)).toThrow(DmsValidationError);
        }
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it("names the argument and never accepts other types", () => {
    for (const v of [null, 20200101000000, {}, [], true]) {
      expect(() => queryTimeArg("endTime", v)).toThrow(expect.objectContaining({ argument: "endTime" }));
    }
  });
});
