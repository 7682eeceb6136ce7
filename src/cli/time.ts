/**
 * Durations (`30m`, `10s`, `1h30m`) and the times of --since/--until: ISO 8601 with a zone,
 * the API's own `YYYYMMDDHHmmss` (UTC, passed through for the library to check), or a
 * duration meaning "that long ago".
 */
import { UsageError } from "./usage.js";

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DURATION_RE = /^(?:\d+(?:ms|s|m|h|d))+$/;
const PART_RE = /(\d+)(ms|s|m|h|d)/g;
/** ISO 8601 date-time with seconds optional, fraction optional, and a zone (Z or ±hh:mm). */
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):?(\d{2}))$/i;
const API_TIME_RE = /^\d{14}$/;

/** Milliseconds of a duration such as `90m`, `24h`, `7d`, `1h30m`, `500ms`; `flag` names it in errors. */
export function parseDuration(flag: string, text: string): number {
  if (!DURATION_RE.test(text)) {
    throw new UsageError(`${flag}: invalid duration "${text}" (use a number and a unit: ms, s, m, h or d, e.g. 30m, 10s, 1h30m)`);
  }
  let ms = 0;
  for (const [, n, unit] of text.matchAll(PART_RE)) ms += Number(n) * UNIT_MS[unit!]!;
  if (!Number.isSafeInteger(ms)) throw new UsageError(`${flag}: duration "${text}" is too long`);
  return ms;
}

/** Date.parse rolls 2026-02-30 over to March 2 and takes 24:00: only real fields are accepted here. */
function realFields(m: RegExpExecArray): boolean {
  const [y, mo, d, h, mi, sec = "0", zh = "0", zm = "0"] = m.slice(1);
  const day = new Date(Date.UTC(+y!, +mo! - 1, +d!));
  return day.getUTCMonth() === +mo! - 1 && day.getUTCDate() === +d! && +h! <= 23 && +mi! <= 59 && +sec <= 59 && +zh <= 23 && +zm <= 59;
}

/** A --since/--until value as the library takes it: a Date, or the 14-digit API form as is. */
export function parseTime(flag: string, text: string, now: number): Date | string {
  if (API_TIME_RE.test(text)) return text;
  const iso = ISO_RE.exec(text);
  if (iso) {
    const date = new Date(text);
    if (!Number.isNaN(date.getTime()) && realFields(iso)) return date;
  } else if (DURATION_RE.test(text)) {
    return new Date(now - parseDuration(flag, text));
  }
  throw new UsageError(
    `${flag}: invalid time "${text}" (use ISO 8601 with a zone such as 2026-11-27T08:00:00Z, YYYYMMDDHHmmss in UTC, or a duration ago such as 90m, 24h, 7d)`,
  );
}
