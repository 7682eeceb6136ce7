// The csv format's record writer, checked against a well-kept CSV library (csv-stringify, a
// dev dependency only) on any fields, and on the cases RFC 4180 names. csv-stringify quotes a
// bare CR or LF only when told to (it looks for the whole CRLF record delimiter); most readers
// (spreadsheets, Python's csv) take either as a line break, so ours always quotes them, and the
// oracle is told the same with quoted_match.
import { stringify } from "csv-stringify/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvRow } from "../../src/cli/format.ts";

const oracle = (cells: readonly unknown[]) =>
  stringify([cells.map((c) => (c === null || c === undefined ? "" : String(c)))], { record_delimiter: "\r\n", quoted_match: /[\r\n]/ });

describe("csvRow (RFC 4180)", () => {
  it.each([
    [["a", "b"], "a,b\r\n"],
    [['say "hi"', "x"], '"say ""hi""",x\r\n'],
    [["a,b", "line\nbreak", "cr\r"], '"a,b","line\nbreak","cr\r"\r\n'],
    [[null, undefined, 0, ""], ",,0,\r\n"],
  ])("%j", (cells, expected) => {
    expect(csvRow(cells)).toBe(expected);
  });

  it("property: the same record as csv-stringify for any fields", () => {
    const cell = fc.oneof(fc.string({ unit: fc.constantFrom("a", " ", ",", '"', "\n", "\r", "é", "x") }), fc.string(), fc.integer(), fc.constant(null));
    fc.assert(fc.property(fc.array(cell, { minLength: 1, maxLength: 8 }), (cells) => csvRow(cells) === oracle(cells)), { numRuns: 2000 });
  });
});
