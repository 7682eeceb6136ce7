// Property: the wrapper accepts every 200 body the spec allows, and returns it unchanged.
//
// Bodies come from Prism's dynamic mode (`Prefer: dynamic=true`: generated from the schemas, with
// extra unknown properties), then fast-check drops any optional properties of each task (those
// not in the spec's `required`). Each body is checked against the spec before the wrapper sees
// it, so a failure here is the wrapper refusing (or altering) a spec-valid response.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientOnMock, INSTANCE_ID, PROJECT_ID, prismUrl, SEED_TASK_ID, TOKEN } from "./mock.ts";
import { responseErrors, responseSchema } from "./schemas.ts";

async function optionalTaskFields(): Promise<string[]> {
  const page = await responseSchema(200);
  const task = (page.properties?.tasks as { items: { properties?: object; required?: string[] } }).items;
  const required = new Set(task.required ?? []);
  return Object.keys(task.properties ?? {}).filter((name) => !required.has(name));
}

describe("spec-valid 200 bodies (Prism dynamic, optional fields dropped)", () => {
  it("are accepted by the wrapper and returned unchanged", async () => {
    const optional = await optionalTaskFields();
    const drops = fc.array(fc.subarray(optional), { minLength: 1, maxLength: 8 });

    await fc.assert(
      fc.asyncProperty(drops, async (dropPerTask) => {
        let served: unknown;
        const specProblems: string[] = [];
        const fetch = async (request: Request): Promise<Response> => {
          const dynamic = new Request(request, { headers: new Headers(request.headers) });
          dynamic.headers.set("Prefer", "dynamic=true");
          const res = await globalThis.fetch(dynamic);
          const body = (await res.json()) as { tasks?: Record<string, unknown>[] };
          body.tasks?.forEach((task, i) => {
            for (const field of dropPerTask[i % dropPerTask.length]!) delete task[field];
          });
          specProblems.push(...(await responseErrors(res.status, body)));
          served = body;
          const headers = new Headers(res.headers);
          headers.delete("content-length");
          return new Response(JSON.stringify(body), { status: res.status, headers });
        };
        const client = clientOnMock(fetch);
        const result = await client.listBackgroundTasks({ instanceId: INSTANCE_ID, limit: 100 }).then(
          (page) => ({ page }),
          (error: unknown) => ({ error }),
        );
        expect(specProblems, "Prism's dynamic body (after dropping optional fields) must match the spec").toEqual([]);
        const refusal = "error" in result ? String(result.error) : "";
        expect(result, `the wrapper must accept the spec-valid body ${JSON.stringify(served).slice(0, 300)}… ${refusal}`).toEqual({
          page: served,
        });
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});

// The task routes: Prism's dynamic bodies for show and progress must be spec-valid too, so that the
// mock can feed the wrapper's lifecycle methods any body the spec allows (nullable step times,
// int64 epoch milliseconds, open status sets).
describe.each([
  ["showBackgroundTask", ""],
  ["showBackgroundTaskProgress", "/progress"],
] as const)("Prism dynamic 200 bodies of %s", (operationId, suffix) => {
  it("match the spec, every one", async () => {
    const url = `${prismUrl()}/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks/${SEED_TASK_ID}${suffix}`;
    const seen = new Set<string>();
    for (let i = 0; i < 15; i++) {
      const res = await fetch(url, { headers: { "X-Auth-Token": TOKEN, Prefer: "dynamic=true" } });
      expect(res.status).toBe(200);
      const body: unknown = await res.json();
      expect(await responseErrors(200, body, operationId), JSON.stringify(body).slice(0, 300)).toEqual([]);
      seen.add(JSON.stringify(body));
    }
    // Dynamic really means generated: not the static example fifteen times over.
    expect(seen.size).toBeGreaterThan(1);
  });
});
