// The CLI's duration and time parser (--since, --until, --timeout, --interval).
import { describe, expect, it } from "vitest";
import { parseDuration, parseTime } from "../../src/cli/time.ts";
import { UsageError } from "../../src/cli/usage.ts";

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["10s", 10_000],
    ["30m", 1_800_000],
    ["24h", 86_400_000],
    ["7d", 604_800_000],
    ["1h30m", 5_400_000],
    ["0s", 0],
  ])("%s is %i ms", (text, ms) => expect(parseDuration("--timeout", text)).toBe(ms));

  it.each(["", "10", "m", "1.5h", "-5s", "10 s", "5x", "1h 30m", "10S", "9".repeat(20) + "d"])("%j is refused with a message naming the flag", (text) => {
    expect(() => parseDuration("--interval", text)).toThrow(UsageError);
    expect(() => parseDuration("--interval", text)).toThrow(/^--interval: /);
  });
});

describe("parseTime", () => {
  const now = Date.UTC(2026, 10, 27, 12, 0, 0);

  it("ISO 8601 with a zone becomes that instant", () => {
    expect(parseTime("--since", "2026-11-27T08:30:00+08:00", now)).toEqual(new Date("2026-11-27T00:30:00Z"));
    expect(parseTime("--since", "2026-11-27T08:30:00+0800", now)).toEqual(new Date("2026-11-27T00:30:00Z"));
    expect(parseTime("--since", "2026-11-27T08:30Z", now)).toEqual(new Date("2026-11-27T08:30:00Z"));
    expect(parseTime("--since", "2026-11-27T08:30:00.250z", now)).toEqual(new Date("2026-11-27T08:30:00.250Z"));
    expect(parseTime("--since", "2024-02-29T00:00:00-05:00", now)).toEqual(new Date("2024-02-29T05:00:00Z"));
  });

  it("YYYYMMDDHHmmss passes through for the library to check", () => {
    expect(parseTime("--until", "20261127235959", now)).toBe("20261127235959");
  });

  it("a duration is that long before now", () => {
    expect(parseTime("--since", "90m", now)).toEqual(new Date(now - 90 * 60_000));
    expect(parseTime("--since", "7d", now)).toEqual(new Date(now - 7 * 86_400_000));
  });

  it.each([
    "2026-11-27T08:30:00", // no zone: ambiguous
    "2026-11-27", // no time
    "2026-02-30T00:00:00Z", // Date.parse would roll it over to March 2
    "2025-02-29T00:00:00Z", // not a leap year
    "2026-11-27T24:00:00Z",
    "2026-11-27T08:60:00Z",
    "2026-11-27T08:30:00+24:00",
    "yesterday",
    "2026112723595", // 13 digits
  ])("%j is refused", (text) => {
    expect(() => parseTime("--since", text, now)).toThrow(/^--since: invalid time/);
  });
});
