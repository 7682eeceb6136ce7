/**
 * Pagination progresses or stops: a server that ignores `start` (repeating one full page, or
 * pages of one duplicated id, with a huge task_count) ends the iteration with a
 * PaginationStalled DmsApiError after a bounded number of requests, and a page longer than the
 * limit asked for is refused as InvalidResponse.
 */
import { describe, expect, it } from "vitest";
import { createBackgroundTasksClient, DmsApiError, INVALID_RESPONSE, PAGINATION_STALLED } from "../../src/index.js";
import { MAX_STALLED_PAGES } from "../../src/paginate.js";
import { task, useTestServer } from "./server.js";

const server = useTestServer();
const client = () =>
  createBackgroundTasksClient({ endpoint: server.url, projectId: "proj", credentials: { token: "paginate-bounds-token-0123" } });

/** Iterates, with a bound of its own so a regression fails instead of spinning. */
async function drain(it: AsyncIterable<{ id: string }>): Promise<{ ids: string[]; error: unknown }> {
  const ids: string[] = [];
  try {
    for await (const t of it) ids.push(t.id);
  } catch (error) {
    return { ids, error };
  }
  return { ids, error: undefined };
}

const page = (ids: string[]) => ({ status: 200, body: { task_count: "1000000000", tasks: ids.map((id) => task(id)) } });

describe("a server that does not advance", () => {
  it.each([
    ["repeats one full page, whatever start says", Array.from({ length: 100 }, (_, i) => `t${i}`), 100],
    ["sends pages of one duplicated id", Array.from({ length: 100 }, () => "same"), 1],
  ])("%s: PaginationStalled after a bounded number of requests", async (_, ids, yielded) => {
    server.setHandler(() => (server.requests.length > 50 ? { status: 500 } : page(ids))); // the test's own bound
    for (const maxTasks of [undefined, 10_000]) {
      server.requests.length = 0;
      const { ids: got, error } = await drain(client().paginateBackgroundTasks({ instanceId: "inst", ...(maxTasks ? { maxTasks } : {}) }));
      expect(got).toHaveLength(yielded);
      expect(error).toBeInstanceOf(DmsApiError);
      expect(error).toMatchObject({ status: 200, errorCode: PAGINATION_STALLED });
      expect(server.requests).toHaveLength(1 + MAX_STALLED_PAGES);
    }
  });

  it("maxTasks still ends the iteration first when it is reached", async () => {
    const all = Array.from({ length: 100 }, (_, i) => `t${i}`);
    server.setHandler((r) => page(all.slice(0, Number(r.query.get("limit"))))); // honours limit, ignores start
    const { ids, error } = await drain(client().paginateBackgroundTasks({ instanceId: "inst", maxTasks: 30 }));
    expect(error).toBeUndefined();
    expect(ids).toHaveLength(30);
    expect(server.requests).toHaveLength(1);
  });
});

describe("a page longer than the limit asked for", () => {
  it("20,000 tasks for limit=100 is InvalidResponse, at once, not retried", async () => {
    server.setHandler(() => page(Array.from({ length: 20_000 }, (_, i) => `t${i}`)));
    const { ids, error } = await drain(client().paginateBackgroundTasks({ instanceId: "inst" }));
    expect(ids).toHaveLength(0);
    expect(error).toMatchObject({ name: "DmsApiError", status: 200, errorCode: INVALID_RESPONSE });
    expect((error as Error).message).toMatch(/20000 tasks, more than the limit of 100/);
    expect(server.requests).toHaveLength(1);
  });

  it("listBackgroundTasks: more tasks than `limit` (or than 100 when no limit is given) is InvalidResponse", async () => {
    server.setHandler(() => page(["a", "b", "c"]));
    await expect(client().listBackgroundTasks({ instanceId: "inst", limit: 2 })).rejects.toMatchObject({ errorCode: INVALID_RESPONSE });
    await expect(client().listBackgroundTasks({ instanceId: "inst", limit: 3 })).resolves.toMatchObject({ tasks: [{ id: "a" }, { id: "b" }, { id: "c" }] });
    server.setHandler(() => page(Array.from({ length: 101 }, (_, i) => `t${i}`)));
    await expect(client().listBackgroundTasks({ instanceId: "inst" })).rejects.toMatchObject({ errorCode: INVALID_RESPONSE });
  });
});
