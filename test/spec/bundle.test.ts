// The committed bundle is what other-language generators read: it must be one valid OpenAPI 3.0.3
// document, the same in YAML and JSON, with nothing outside the file to resolve.
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { bundleFiles, loadRawBundle } from "./load-bundle.ts";

describe("generated/openapi.{yaml,json}", () => {
  it("declares exactly OpenAPI 3.0.3", async () => {
    expect((await loadRawBundle("yaml")).openapi).toBe("3.0.3");
    expect((await loadRawBundle("json")).openapi).toBe("3.0.3");
  });

  it.each(Object.entries(bundleFiles))("%s is a valid OpenAPI 3.0 document (swagger-parser)", async (_, file) => {
    // Checks the document against the official OpenAPI 3.0 JSON Schema, then resolves every $ref.
    const api = await SwaggerParser.validate(file);
    expect(api.info.title).toBeTruthy();
  });

  it("YAML and JSON hold the same document", async () => {
    expect(await loadRawBundle("json")).toStrictEqual(await loadRawBundle("yaml"));
  });

  it("every $ref points inside the document (a generator needs no other file)", async () => {
    const refs: string[] = [];
    JSON.stringify(await loadRawBundle(), (key, value: unknown) => {
      if (key === "$ref" && typeof value === "string") refs.push(value);
      return value;
    });
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => !ref.startsWith("#/components/"))).toEqual([]);
  });

  it("the validator really rejects a broken document (guards the checks above)", async () => {
    const broken = await loadRawBundle();
    const op = broken.paths["/v2/{project_id}/instances/{instance_id}/tasks"]?.get;
    expect(op).toBeDefined();
    (op as { responses?: unknown }).responses = "none";
    await expect(SwaggerParser.validate(broken)).rejects.toThrow();
  });
});
