/**
 * The generated types flow through the wrapper: a consumer compiles, and misuses (a misspelled
 * field, a wrong argument type) do not. Uses the TypeScript compiler API in-process, with the
 * repository's tsconfig.json options.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { beforeAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../", import.meta.url));
const consumer = fileURLToPath(new URL("./types/consumer.ts", import.meta.url));
const misuse = fileURLToPath(new URL("./types/misuse.ts", import.meta.url));
/** misuse.ts with its @ts-expect-error directives removed; exists only in memory. */
const stripped = misuse.replace(/misuse\.ts$/, "misuse.stripped.ts");

function compile(): { diagnostics: readonly ts.Diagnostic[]; strippedText: string } {
  const parsed = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!parsed) throw new Error("cannot read tsconfig.json");
  const options = { ...parsed.options, noEmit: true };
  const strippedText = readFileSync(misuse, "utf8").replace(/\/\/ @ts-expect-error.*$/gm, "//");
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    name === stripped ? ts.createSourceFile(name, strippedText, lang) : getSourceFile(name, lang, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => name === stripped || fileExists(name);
  const program = ts.createProgram([consumer, misuse, stripped], options, host);
  return { diagnostics: ts.getPreEmitDiagnostics(program), strippedText };
}

const format = (ds: readonly ts.Diagnostic[]) =>
  ds.map((d) => `${d.file?.fileName ?? ""}:${d.start ?? ""} TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`).join("\n");

describe("types", () => {
  let diagnostics: readonly ts.Diagnostic[] = [];
  let strippedText = "";
  beforeAll(() => {
    ({ diagnostics, strippedText } = compile());
  }, 120_000);
  const lineOf = (d: ts.Diagnostic) => d.file!.getLineAndCharacterOfPosition(d.start!).line;

  it("the consumer and the @ts-expect-error file compile cleanly", () => {
    const real = diagnostics.filter((d) => d.file?.fileName !== stripped);
    expect(format(real)).toBe("");
  });

  it("without the directives, every marked line is a type error (e.g. `idd` on a task)", () => {
    const errors = diagnostics.filter((d) => d.file?.fileName === stripped);
    const lines = strippedText.split("\n");
    const marked = lines.flatMap((l, i) => (l.trim() === "//" ? [i + 1] : []));
    expect(marked.length).toBeGreaterThanOrEqual(8);
    const erroredLines = new Set(errors.map(lineOf));
    for (const line of marked) expect(erroredLines.has(line), `line ${line + 1}: ${lines[line]}`).toBe(true);
    expect(format(errors)).toMatch(/Property 'idd' does not exist/);
  });
});
