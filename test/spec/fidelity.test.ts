// Fidelity to the source of truth: the published reference page, kept in test/spec/seed/ so a
// fresh clone is self-contained. Its tables and example are parsed from the text itself, so a
// change of the page shows up here.
import { existsSync, readFileSync } from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { loadBundle, loadRawBundle, schemaErrors, type OpenAPIV3 } from "./load-bundle.ts";

// ---------------------------------------------------------------------------------------------
// The seed: plain text of the page, one table cell per line, blank lines between.

const seedText = readFileSync(new URL("seed/listing-background-tasks.txt", import.meta.url), "utf8");

// The team's copy lives in ../shared beside the repository (CI lays it there too); the copy in
// the repository must not drift from it.
const sharedSeed = new URL("../../../shared/seed/listing-background-tasks.txt", import.meta.url);
it.skipIf(!existsSync(sharedSeed))("the repository's copy of the seed is the shared one, byte for byte", () => {
  expect(seedText).toBe(readFileSync(sharedSeed, "utf8"));
});

interface SeedTable {
  number: number;
  title: string;
  columns: string[];
  rows: Record<string, string>[];
}

const COLUMN_NAMES = new Set(["Parameter", "Mandatory", "Type", "Description"]);
const SEED_TYPE = /^(?:String|Integer|Long|Number|Float|Double|Boolean|Object|Array of .+)$/;

function parseSeed(text: string) {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const after = (heading: string): string => {
    const i = lines.indexOf(heading);
    if (i < 0 || i + 1 >= lines.length) throw new Error(`seed: no line after "${heading}"`);
    return lines[i + 1] as string;
  };

  const tables: SeedTable[] = [];
  lines.forEach((line, start) => {
    const heading = /^Table (\d+) (.+)$/.exec(line);
    if (!heading) return;
    let i = start + 1;
    const columns: string[] = [];
    while (i < lines.length && COLUMN_NAMES.has(lines[i] as string)) columns.push(lines[i++] as string);
    if (columns[0] !== "Parameter" || !columns.includes("Type")) throw new Error(`seed: "${line}" has columns ${columns}`);
    const rows: Record<string, string>[] = [];
    // A row is `columns.length` cells; the table ends at the first group that is not one.
    for (; i + columns.length <= lines.length; i += columns.length) {
      const cells = lines.slice(i, i + columns.length);
      const row = Object.fromEntries(columns.map((c, k) => [c, cells[k] as string]));
      const isRow =
        !cells.some((cell) => /^Table \d+ /.test(cell)) &&
        SEED_TYPE.test(row.Type ?? "") &&
        (!("Mandatory" in row) || row.Mandatory === "Yes" || row.Mandatory === "No");
      if (!isRow) break;
      rows.push(row);
    }
    tables.push({ number: Number(heading[1]), title: heading[2] as string, columns, rows });
  });

  const uri = /^(GET|POST|PUT|PATCH|DELETE|HEAD) (\/\S+)$/.exec(after("URI"));
  if (!uri) throw new Error(`seed: cannot read the URI line "${after("URI")}"`);

  const exampleRequest = /^'?[A-Z]+ https:\/\/\{endpoint\}(\S+?)'?$/.exec(after("Example Requests"));
  if (!exampleRequest) throw new Error(`seed: cannot read the example request "${after("Example Requests")}"`);

  // Status codes table: "Status Code", "Description", then (code, description) pairs.
  const statusCodes = new Map<string, string>();
  for (let i = lines.indexOf("Status Codes") + 3; /^\d{3}$/.test(lines[i] ?? ""); i += 2) {
    statusCodes.set(lines[i] as string, lines[i + 1] as string);
  }

  return {
    function: after("Function"),
    method: (uri[1] as string).toLowerCase(),
    path: uri[2] as string,
    exampleRequestUrl: new URL(exampleRequest[1] as string, "https://endpoint.invalid"),
    tables,
    table: (number: number): SeedTable => {
      const t = tables.find((x) => x.number === number);
      if (!t) throw new Error(`seed: no Table ${number}`);
      return t;
    },
    statusCodes,
    exampleResponse: firstJsonValueAfter(text, "Example Responses"),
  };
}

/** The first JSON object after `heading`, found by matching braces outside strings. */
function firstJsonValueAfter(text: string, heading: string): unknown {
  const from = text.indexOf("{", text.indexOf(heading));
  if (text.indexOf(heading) < 0 || from < 0) throw new Error(`seed: no JSON after "${heading}"`);
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") {
      if (--depth === 0) return JSON.parse(text.slice(from, i + 1));
    }
  }
  throw new Error(`seed: unterminated JSON after "${heading}"`);
}

/** What a seed "Type" cell means in the schema. */
function expectedType(seedType: string): { type: string; itemsTable?: string; itemsType?: string } {
  const scalar: Record<string, string> = {
    String: "string",
    Integer: "integer",
    Long: "integer",
    Number: "number",
    Float: "number",
    Double: "number",
    Boolean: "boolean",
    Object: "object",
  };
  if (scalar[seedType]) return { type: scalar[seedType] };
  const objects = /^Array of (\S+) objects$/.exec(seedType);
  if (objects) return { type: "array", itemsType: "object", itemsTable: objects[1] as string };
  const scalars = /^Array of (\S+)$/.exec(seedType);
  if (scalars && scalar[scalars[1] as string]) return { type: "array", itemsType: scalar[scalars[1] as string] };
  throw new Error(`seed: unknown type "${seedType}"`);
}

/** Text as a reader sees it: Markdown code, emphasis and quote marks dropped, spaces collapsed. */
const plain = (text: string | undefined): string => (text ?? "").replace(/[`*"]/g, "").replace(/\s+/g, " ").trim();
/** The seed's description as the spec must carry it: its words, without the final period. */
const wording = (description: string): string => plain(description).replace(/\.$/, "");

// ---------------------------------------------------------------------------------------------
// The bundle.

const seed = parseSeed(seedText);
const api = await loadBundle();
const rawApi = await loadRawBundle();

const pathItem = api.paths[seed.path] as OpenAPIV3.PathItemObject;
const operation = (pathItem?.[seed.method as OpenAPIV3.HttpMethods] ?? {}) as OpenAPIV3.OperationObject;
const parameters = [...(pathItem?.parameters ?? []), ...(operation.parameters ?? [])] as OpenAPIV3.ParameterObject[];
const ok = (operation.responses?.["200"] ?? {}) as OpenAPIV3.ResponseObject;
const okMedia = (ok.content?.["application/json"] ?? {}) as OpenAPIV3.MediaTypeObject;
const okSchema = (okMedia.schema ?? {}) as OpenAPIV3.SchemaObject;
const taskSchema = ((okSchema.properties?.tasks as OpenAPIV3.ArraySchemaObject | undefined)?.items ??
  {}) as OpenAPIV3.SchemaObject;

const pathParams = seed.table(1);
const queryParams = seed.table(2);
const bodyFields = seed.table(3);

function parameter(name: string): OpenAPIV3.ParameterObject {
  const found = parameters.filter((p) => p.name === name);
  expect(found, `parameter ${name}`).toHaveLength(1);
  return found[0] as OpenAPIV3.ParameterObject;
}
const schemaOf = (name: string) => parameter(name).schema as OpenAPIV3.SchemaObject;

// ---------------------------------------------------------------------------------------------

describe("the seed is read as expected (guards the parser)", () => {
  it("finds its four tables, with every row", () => {
    expect(seed.tables.map((t) => [t.number, t.title, t.columns, t.rows.length])).toEqual([
      [1, "Path Parameters", ["Parameter", "Mandatory", "Type", "Description"], 2],
      [2, "Query Parameters", ["Parameter", "Mandatory", "Type", "Description"], 4],
      [3, "Response body parameters", ["Parameter", "Type", "Description"], 2],
      [4, "tasks", ["Parameter", "Type", "Description"], 8],
    ]);
  });

  it("finds the URI, the example request and a JSON example response", () => {
    expect([seed.method, seed.path]).toEqual(["get", "/v2/{project_id}/instances/{instance_id}/tasks"]);
    expect(decodeURI(seed.exampleRequestUrl.pathname)).toBe(seed.path);
    expect(seed.exampleResponse).toMatchObject({ task_count: "1", tasks: [{ name: "bindInstancePublicIp" }] });
  });
});

describe("operation", () => {
  it(`is ${seed.method.toUpperCase()} ${seed.path}, operationId listBackgroundTasks, the only one on that path`, () => {
    expect(Object.keys(rawApi.paths)).toContain(seed.path);
    const methods = Object.keys(pathItem).filter((k) =>
      ["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(k),
    );
    expect(methods).toEqual([seed.method]);
    expect(operation.operationId).toBe("listBackgroundTasks");
  });

  it("summary says what the page's Function section says", () => {
    expect(seed.function.toLowerCase()).toContain((operation.summary ?? "<no summary>").toLowerCase());
  });

  it("takes exactly the path and query parameters of the page, and no request body", () => {
    const ours = parameters.map((p) => `${p.in}:${p.name}`).sort();
    const theirs = [
      ...pathParams.rows.map((r) => `path:${r.Parameter}`),
      ...queryParams.rows.map((r) => `query:${r.Parameter}`),
    ].sort();
    expect(ours).toEqual(theirs);
    // The example request uses the same query parameter names.
    const exampleQuery = [...seed.exampleRequestUrl.searchParams.keys()];
    expect(exampleQuery.sort()).toEqual(queryParams.rows.map((r) => r.Parameter).sort());
    expect(operation.requestBody).toBeUndefined();
  });

  it("documents every status code of the page with its description", () => {
    expect(seed.statusCodes.size).toBeGreaterThan(0);
    for (const [code, description] of seed.statusCodes) {
      expect((operation.responses[code] as OpenAPIV3.ResponseObject | undefined)?.description).toBe(description);
    }
  });
});

describe.each([
  ["path", pathParams],
  ["query", queryParams],
])("%s parameters", (location, table) => {
  it.each(table.rows)("$Parameter: $Mandatory, $Type", (row) => {
    const p = parameter(row.Parameter as string);
    expect(p.in).toBe(location);
    expect(p.required ?? false).toBe(row.Mandatory === "Yes");
    expect(schemaOf(p.name).type).toBe(expectedType(row.Type as string).type);
    expect(plain(p.description)).toContain(wording(row.Description as string));
  });
});

describe("200 response body", () => {
  it("is an object", () => {
    expect(okSchema.type).toBe("object");
  });

  // Table 3, and for each "Array of X objects" field the table named X (Table 4 for tasks).
  const fields = bodyFields.rows.flatMap((row) => {
    const top = { table: bodyFields, row, schema: () => okSchema };
    const { itemsTable } = expectedType(row.Type as string);
    if (!itemsTable) return [top];
    const nested = seed.tables.find((t) => t.title === itemsTable);
    if (!nested) throw new Error(`seed: "${row.Type}" but no table named ${itemsTable}`);
    const items = () =>
      ((okSchema.properties?.[row.Parameter as string] as OpenAPIV3.ArraySchemaObject | undefined)?.items ??
        {}) as OpenAPIV3.SchemaObject;
    return [top, ...nested.rows.map((r) => ({ table: nested, row: r, schema: items }))];
  });

  it.each(fields.map((f) => [`Table ${f.table.number}`, f.row.Parameter, f.row.Type, f] as const))(
    "%s %s: %s",
    (_, name, seedType, { schema, row }) => {
      const property = schema().properties?.[name as string] as OpenAPIV3.SchemaObject | undefined;
      expect(property, `property ${name}`).toBeDefined();
      const expected = expectedType(seedType as string);
      expect(property?.type).toBe(expected.type);
      if (expected.itemsType) {
        expect(((property as OpenAPIV3.ArraySchemaObject).items as OpenAPIV3.SchemaObject).type).toBe(expected.itemsType);
      }
      expect(plain(property?.description)).toContain(wording(row.Description as string));
    },
  );
});

describe("the page's example response", () => {
  it("is on the 200 response verbatim, as a named example", () => {
    const examples = Object.entries(okMedia.examples ?? {}).map(
      ([name, example]) => [name, (example as OpenAPIV3.ExampleObject).value] as const,
    );
    const verbatim = examples.filter(([, value]) => isDeepStrictEqual(value, seed.exampleResponse));
    // When none matches, this shows the difference.
    if (verbatim.length === 0) expect(examples.map(([, value]) => value)).toContainEqual(seed.exampleResponse);
    expect(verbatim.map(([name]) => name), "the 200 examples equal to the page's").toHaveLength(1);
  });

  it("validates against the 200 schema", () => {
    expect(schemaErrors(okSchema, seed.exampleResponse)).toEqual([]);
  });

  const task = (seed.exampleResponse as { tasks: Record<string, unknown>[] }).tasks[0] as Record<string, unknown>;
  const { id: _, ...taskWithoutId } = task;
  const withTask = (changes: Record<string, unknown>) => ({ task_count: "1", tasks: [{ ...task, ...changes }] });
  const badDateTime = /^\/tasks\/0\/created_at must match format "date-time"/;
  it.each([
    ["task_count as a number", { task_count: 1, tasks: [task] }, /^\/task_count must be string/],
    ["task_count not a decimal number", { task_count: "one", tasks: [task] }, /^\/task_count must match pattern/],
    ["no task_count", { tasks: [task] }, /^\(root\) must have required property 'task_count'/],
    ["no tasks", { task_count: "1" }, /^\(root\) must have required property 'tasks'/],
    ["tasks not an array", { task_count: "1", tasks: task }, /^\/tasks must be array/],
    ["a task without id", { task_count: "1", tasks: [taskWithoutId] }, /^\/tasks\/0 must have required property 'id'/],
    ["a task that is not an object", { task_count: "1", tasks: ["ff80808272dcc90f"] }, /^\/tasks\/0 must be object/],
    ["created_at not a date-time", withTask({ created_at: "20200623030003" }), badDateTime],
    ["created_at without time zone", withTask({ created_at: "2020-06-23T03:00:03.471" }), badDateTime],
    ["created_at on 30 February", withTask({ created_at: "2020-02-30T03:00:03.471Z" }), badDateTime],
    ["updated_at not a string", withTask({ updated_at: 1592881208130 }), /^\/tasks\/0\/updated_at must be string/],
  ])("is rejected when altered: %s", (_, body, expected) => {
    const errors = schemaErrors(okSchema, body);
    expect(errors.some((e) => expected.test(e)), errors.join("\n") || "no error").toBe(true);
  });

  it("a task status this document does not list yet is still valid (open set)", () => {
    const body = { task_count: "1", tasks: [{ ...task, status: "PAUSED" }] };
    expect(schemaErrors(okSchema, body)).toEqual([]);
  });

  it("the task schema is the one of Table 4 (sanity)", () => {
    expect(Object.keys(taskSchema.properties ?? {})).toEqual(expect.arrayContaining(Object.keys(task)));
  });
});

describe("query parameter values", () => {
  it.each([
    ["begin_time", "20200623030003", true],
    ["begin_time", "20200229235959", true],
    ["begin_time", "20201345000000", false], // month 13
    ["begin_time", "20200230000000", false], // 30 February
    ["begin_time", "20200431000000", false], // 31 April
    ["begin_time", "20200623240000", false], // hour 24
    ["begin_time", "2020062300000", false], // 13 digits
    ["begin_time", "202006230300030", false], // 15 digits
    ["begin_time", "2020-06-23T03:00:03Z", false],
    ["end_time", "20200624000000", true],
    ["end_time", "20201345000000", false],
    ["limit", 1, true],
    ["limit", 100, true],
    ["limit", 0, false],
    ["limit", 101, false],
    ["limit", 1.5, false],
    ["start", 1, true],
    ["start", 0, false],
    ["start", -1, false],
  ] as const)("%s=%j valid: %s", (name, value, valid) => {
    expect(schemaErrors(schemaOf(name), value).length === 0).toBe(valid);
  });
});

// ---------------------------------------------------------------------------------------------
// Every example in the bundle validates against the schema it illustrates.

interface ExampleCase {
  where: string;
  schema: OpenAPIV3.SchemaObject;
  value: unknown;
}
const exampleCases: ExampleCase[] = [];
const seenSchemas = new Set<object>();

function collectSchema(where: string, schema: OpenAPIV3.SchemaObject | undefined): void {
  if (!schema || seenSchemas.has(schema)) return;
  seenSchemas.add(schema);
  if (schema.example !== undefined) exampleCases.push({ where: `${where} (schema example)`, schema, value: schema.example });
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    collectSchema(`${where}.${name}`, property as OpenAPIV3.SchemaObject);
  }
  if ("items" in schema) collectSchema(`${where}[]`, schema.items as OpenAPIV3.SchemaObject);
  if (typeof schema.additionalProperties === "object") {
    collectSchema(`${where}{}`, schema.additionalProperties as OpenAPIV3.SchemaObject);
  }
  for (const key of ["allOf", "anyOf", "oneOf"] as const) {
    schema[key]?.forEach((s, i) => collectSchema(`${where}/${key}/${i}`, s as OpenAPIV3.SchemaObject));
  }
}

/** Parameters, headers and media types: `example`, every `examples` entry, then the schema itself. */
function collectCarrier(
  where: string,
  carrier: { schema?: unknown; example?: unknown; examples?: Record<string, unknown> },
): void {
  const schema = carrier.schema as OpenAPIV3.SchemaObject | undefined;
  if (!schema) return;
  if (carrier.example !== undefined) exampleCases.push({ where: `${where} example`, schema, value: carrier.example });
  for (const [name, example] of Object.entries(carrier.examples ?? {})) {
    exampleCases.push({ where: `${where} examples.${name}`, schema, value: (example as OpenAPIV3.ExampleObject).value });
  }
  collectSchema(`${where} schema`, schema);
}

function collectResponse(where: string, response: OpenAPIV3.ResponseObject): void {
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    collectCarrier(`${where} header ${name}`, header as OpenAPIV3.HeaderObject);
  }
  for (const [type, media] of Object.entries(response.content ?? {})) collectCarrier(`${where} ${type}`, media);
}

for (const [path, item] of Object.entries(api.paths)) {
  for (const p of (item?.parameters ?? []) as OpenAPIV3.ParameterObject[]) collectCarrier(`${path} param ${p.name}`, p);
  for (const method of ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const) {
    const op = item?.[method as OpenAPIV3.HttpMethods];
    if (!op) continue;
    const at = `${method.toUpperCase()} ${path}`;
    for (const p of (op.parameters ?? []) as OpenAPIV3.ParameterObject[]) collectCarrier(`${at} param ${p.name}`, p);
    const body = op.requestBody as OpenAPIV3.RequestBodyObject | undefined;
    for (const [type, media] of Object.entries(body?.content ?? {})) collectCarrier(`${at} request ${type}`, media);
    for (const [code, response] of Object.entries(op.responses ?? {})) {
      collectResponse(`${at} ${code}`, response as OpenAPIV3.ResponseObject);
    }
  }
}
const components = api.components ?? {};
for (const [name, p] of Object.entries(components.parameters ?? {})) {
  collectCarrier(`components.parameters.${name}`, p as OpenAPIV3.ParameterObject);
}
for (const [name, h] of Object.entries(components.headers ?? {})) {
  collectCarrier(`components.headers.${name}`, h as OpenAPIV3.HeaderObject);
}
for (const [name, r] of Object.entries(components.responses ?? {})) {
  collectResponse(`components.responses.${name}`, r as OpenAPIV3.ResponseObject);
}
for (const [name, s] of Object.entries(components.schemas ?? {})) {
  collectSchema(`components.schemas.${name}`, s as OpenAPIV3.SchemaObject);
}

describe("every example in the bundle", () => {
  it("was found (guards the walk)", () => {
    expect(exampleCases.length).toBeGreaterThan(20);
  });

  it("components/examples are each used by some media type, so each is validated below", () => {
    const used = new Set<string>();
    JSON.stringify(rawApi.paths, (key, value: unknown) => {
      if (key === "$ref" && typeof value === "string") used.add(value);
      return value;
    });
    JSON.stringify(rawApi.components?.responses ?? {}, (key, value: unknown) => {
      if (key === "$ref" && typeof value === "string") used.add(value);
      return value;
    });
    const unused = Object.keys(rawApi.components?.examples ?? {}).filter((n) => !used.has(`#/components/examples/${n}`));
    expect(unused).toEqual([]);
  });

  it.each(exampleCases.map((c) => [c.where, c] as const))("%s validates against its schema", (_, { schema, value }) => {
    expect(schemaErrors(schema, value)).toEqual([]);
  });
});
