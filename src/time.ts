/**
 * `begin_time` / `end_time`: UTC instants written `YYYYMMDDHHmmss`. The spec's pattern lets
 * 29 February through in any year; here only real calendar instants are accepted (stricter,
 * never looser than the spec).
 */
import { DmsValidationError } from "./errors.js";

/** A query time: a `Date` (converted to UTC) or a 14-digit `YYYYMMDDHHmmss` UTC string. */
export type QueryTimeInput = Date | string;

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function format(date: Date, argument: string): string {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new DmsValidationError(argument, "is an invalid Date");
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw new DmsValidationError(argument, "year must be between 0000 and 9999");
  return (
    pad(year, 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2) +
    pad(date.getUTCSeconds(), 2)
  );
}

/** A Date as UTC `YYYYMMDDHHmmss` (milliseconds dropped). Throws DmsValidationError on an invalid Date. */
export function toQueryTime(date: Date): string {
  if (!(date instanceof Date)) throw new DmsValidationError("date", "must be a Date");
  return format(date, "date");
}

function isLeap(y: number): boolean {
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** True for 14 ASCII digits naming a real instant (month, day of month incl. leap years, h, m, s). */
export function isQueryTimeString(s: string): boolean {
  if (s.length !== 14) return false;
  for (let i = 0; i < 14; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const year = +s.slice(0, 4);
  const month = +s.slice(4, 6);
  const day = +s.slice(6, 8);
  if (month < 1 || month > 12 || day < 1) return false;
  const maxDay = month === 2 && isLeap(year) ? 29 : DAYS[month - 1]!;
  return day <= maxDay && +s.slice(8, 10) <= 23 && +s.slice(10, 12) <= 59 && +s.slice(12, 14) <= 59;
}

/** Validates a beginTime/endTime argument and returns its wire form. */
export function queryTimeArg(argument: string, value: unknown): string {
  if (value instanceof Date) return format(value, argument);
  if (typeof value === "string") {
    if (isQueryTimeString(value)) return value;
    throw new DmsValidationError(argument, "must be a real UTC instant written YYYYMMDDHHmmss (14 digits)");
  }
  throw new DmsValidationError(argument, "must be a Date or a YYYYMMDDHHmmss string");
}
