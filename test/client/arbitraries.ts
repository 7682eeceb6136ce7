/** fast-check arbitraries shared by the client tests and the contract tests. */
import fc from "fast-check";

const pad = (n: number, width: number) => String(n).padStart(width, "0");

/**
 * A 14-digit `YYYYMMDDHHmmss` whose fields each range a little beyond their valid values
 * (month 00–13, day 00–32, hour 00–24, minute and second 00–60), so that real instants and
 * near misses are both frequent.
 */
export const nearValidTime: fc.Arbitrary<string> = fc
  .tuple(
    fc.integer({ min: 0, max: 9999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 24 }),
    fc.integer({ min: 0, max: 60 }),
    fc.integer({ min: 0, max: 60 }),
  )
  .map(([y, mo, d, h, mi, s]) => pad(y, 4) + pad(mo, 2) + pad(d, 2) + pad(h, 2) + pad(mi, 2) + pad(s, 2));
