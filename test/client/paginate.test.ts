/**
 * paginateBackgroundTasks against a real server that pages a newest-first list by 1-based
 * `start` and `limit`, like DMS, and can insert new tasks at the head between pages.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createBackgroundTasksClient, DmsApiError, DmsValidationError } from "../../src/index.js";
import { MAX_STALLED_PAGES, paginate } from "../../src/paginate.js";
import { type RecordedRequest, type Reply, task, useTestServer } from "./server.js";

const PROJECT = "proj";
const INSTANCE = "inst";

const server = useTestServer();

/** The answer a DMS-like server may give to a `start` past the end of the list. */
const INVALID_START: Reply = { status: 400, body: { error_code: "DMS.00400062", error_msg: "Invalid start parameter." } };

/**
 * A server-side task list; `afterPage` runs after each page is served (to insert or delete
 * tasks). With `pastEnd400`, a `start` beyond the list (other than 1) is refused with a 400.
 */
function serveList(ids: string[], afterPage: (pageNo: number, list: string[]) => void = () => {}, pastEnd400 = false) {
  const list = ids.slice();
  let pageNo = 0;
  server.setHandler((r: RecordedRequest): Reply => {
    const start = Number(r.query.get("start") ?? "1");
    const limit = Number(r.query.get("limit") ?? "10");
    if (pastEnd400 && start > 1 && start > list.length) return INVALID_START;
    const body = { task_count: String(list.length), tasks: list.slice(start - 1, start - 1 + limit).map((id) => task(id)) };
    afterPage(++pageNo, list);
    return { status: 200, body };
  });
  return list;
}

const ids = (n: number, prefix = "old") => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

function client() {
  return createBackgroundTasksClient({ endpoint: server.url, projectId: PROJECT, credentials: { token: "paginate-test-token-0123456789" } });
}

async function collect(it: AsyncIterable<{ id: string }>): Promise<string[]> {
  const out: string[] = [];
  for await (const t of it) out.push(t.id);
  return out;
}

const starts = () => server.requests.map((r) => `${r.query.get("start")}/${r.query.get("limit")}`);

describe("paginateBackgroundTasks", () => {
  it("reads 1,000 tasks in 10 pages of 100 (start = 1, 101, ...), stopping at task_count", async () => {
    const all = ids(1000);
    serveList(all);
    expect(await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 100 }))).toEqual(all);
    expect(starts()).toEqual(Array.from({ length: 10 }, (_, i) => `${1 + 100 * i}/100`));
  });

  it("onPage sees each page as it arrives, before its tasks, with the task_count of that moment", async () => {
    serveList(ids(250), (pageNo, list) => {
      if (pageNo === 1) list.unshift("new-0"); // the count grows between pages
    });
    const events: string[] = [];
    const pages = client().paginateBackgroundTasks({
      instanceId: INSTANCE,
      pageSize: 100,
      onPage: (page) => events.push(`page ${page.tasks.length}/${page.task_count}`),
    });
    for await (const t of pages) if (t.id === "old-0" || t.id === "old-100" || t.id === "old-200") events.push(t.id);
    expect(events).toEqual(["page 100/250", "old-0", "page 100/251", "old-100", "page 51/251", "old-200"]);
    expect(server.requests).toHaveLength(3); // no request of its own
  });

  it("onPage must be a function: refused before anything is sent", () => {
    expect(() => client().paginateBackgroundTasks({ instanceId: INSTANCE, onPage: "x" as never })).toThrow(DmsValidationError);
    expect(server.requests).toHaveLength(0);
  });

  it("tasks inserted at the head during iteration: no duplicate, no old task skipped", async () => {
    const all = ids(1000);
    let n = 0;
    serveList(all, (pageNo, list) => {
      for (let i = 0; i < (pageNo % 4) * 13; i++) list.unshift(`new-${n++}`);
    });
    const got = await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 100 }));
    expect(new Set(got).size).toBe(got.length);
    expect(got.filter((id) => id.startsWith("old"))).toEqual(all);
    expect(n).toBeGreaterThan(0); // the shift really happened
  });

  it("property: any dataset, page size and head insertions of up to one page between requests (fewer than MAX_STALLED_PAGES full ones in a row)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 1, max: 25 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        async (size, pageSize, inserts) => {
          server.requests.length = 0;
          const all = ids(size);
          let n = 0;
          let fullShifts = 0; // in a row: MAX_STALLED_PAGES of them is, by definition, no progress
          serveList(all, (pageNo, list) => {
            let k = (inserts[pageNo - 1] ?? 0) % (pageSize + 1);
            if (k === pageSize && fullShifts === MAX_STALLED_PAGES - 1) k--;
            fullShifts = k === pageSize ? fullShifts + 1 : 0;
            for (let i = 0; i < k; i++) list.unshift(`new-${n++}`);
          });
          const got = await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize }));
          expect(new Set(got).size).toBe(got.length);
          expect(got.filter((id) => id.startsWith("old"))).toEqual(all);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("stops on a short page", async () => {
    serveList(ids(250));
    expect(await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE }))).toHaveLength(250);
    expect(starts()).toEqual(["1/100", "101/100", "201/100"]);
  });

  it("stops on an empty page even if task_count says more", async () => {
    server.setHandler((r) =>
      r.query.get("start") === "1"
        ? { status: 200, body: { task_count: "999", tasks: ids(5).map((id) => task(id)) } }
        : { status: 200, body: { task_count: "999", tasks: [] } },
    );
    expect(await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 5 }))).toEqual(ids(5));
    expect(starts()).toEqual(["1/5", "6/5"]);
  });

  it("stops when task_count is reached with a full last page (no extra request)", async () => {
    serveList(ids(200));
    await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE }));
    expect(starts()).toEqual(["1/100", "101/100"]);
  });

  it("an empty list is one request", async () => {
    serveList([]);
    expect(await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE }))).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it("maxTasks stops early and asks only for what is still needed", async () => {
    serveList(ids(1000));
    const got = await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, maxTasks: 150 }));
    expect(got).toEqual(ids(1000).slice(0, 150));
    expect(starts()).toEqual(["1/100", "101/50"]);
  });

  it("passes the time window to every page", async () => {
    serveList(ids(30));
    await collect(
      client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 10, beginTime: "20200101000000", endTime: new Date(Date.UTC(2021, 0, 1)) }),
    );
    expect(server.requests).toHaveLength(3);
    for (const r of server.requests) {
      expect(r.query.get("begin_time")).toBe("20200101000000");
      expect(r.query.get("end_time")).toBe("20210101000000");
    }
  });

  it("never yields an id twice even if one page lists it twice", async () => {
    server.setHandler(() => ({ status: 200, body: { task_count: "3", tasks: [task("a"), task("a"), task("b")] } }));
    expect(await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 3 }))).toEqual(["a", "b"]);
  });

  it("validates its arguments when called, before any request", () => {
    const c = client();
    for (const bad of [
      { instanceId: "" },
      { instanceId: INSTANCE, pageSize: 0 },
      { instanceId: INSTANCE, pageSize: 101 },
      { instanceId: INSTANCE, maxTasks: 0 },
      { instanceId: INSTANCE, maxTasks: 1.5 },
      { instanceId: INSTANCE, beginTime: "20200102000000", endTime: "20200101000000" },
      { instanceId: INSTANCE, start: 5 },
    ]) {
      expect(() => c.paginateBackgroundTasks(bad as never)).toThrow(DmsValidationError);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("an error on a later page propagates", async () => {
    serveList(ids(300));
    server.queue({ status: 200, body: { task_count: "300", tasks: ids(100).map((id) => task(id)) } }, { status: 404, body: { error_code: "DMS.00404022", error_msg: "gone" } });
    const seen: string[] = [];
    const err = await (async () => {
      for await (const t of client().paginateBackgroundTasks({ instanceId: INSTANCE })) seen.push(t.id);
    })().catch((e: unknown) => e);
    expect(seen).toHaveLength(100);
    expect(err).toBeInstanceOf(DmsApiError);
    expect((err as DmsApiError).status).toBe(404);
  });

  it("tasks deleted during iteration leave start past the end: a 400 there ends the iteration once a probe confirms it", async () => {
    const all = ids(25);
    serveList(all, (pageNo, list) => {
      if (pageNo === 1) list.splice(0, 20); // 20 tasks deleted after the first page
    }, true);
    expect(await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 10 }))).toEqual(all.slice(0, 10));
    expect(starts()).toEqual(["1/10", "11/10", "1/1"]); // the page refused, then the probe of task_count
  });

  it("a 400 on a later page while the list still reaches that start is thrown", async () => {
    serveList(ids(30));
    server.queue({ status: 200, body: { task_count: "30", tasks: ids(10).map((id) => task(id)) } }, INVALID_START);
    const err = await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 10 })).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DmsApiError", status: 400, errorCode: "DMS.00400062" });
    expect(starts()).toEqual(["1/10", "11/10", "1/1"]);
  });

  it("a 400 on the first page, or another status on a later one, is thrown without a probe", async () => {
    server.setHandler(() => INVALID_START);
    await expect(collect(client().paginateBackgroundTasks({ instanceId: INSTANCE }))).rejects.toMatchObject({ status: 400 });
    expect(starts()).toEqual(["1/100"]);

    server.requests.length = 0;
    serveList(ids(30));
    server.queue({ status: 200, body: { task_count: "30", tasks: ids(10).map((id) => task(id)) } }, { status: 404 });
    await expect(collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 10 }))).rejects.toMatchObject({ status: 404 });
    expect(starts()).toEqual(["1/10", "11/10"]);
  });

  it("a probe that fails leaves the original 400 as the error", async () => {
    serveList(ids(30));
    server.queue(
      { status: 200, body: { task_count: "30", tasks: ids(10).map((id) => task(id)) } },
      INVALID_START,
      { status: 404, body: { error_code: "DMS.00404022", error_msg: "gone" } },
    );
    await expect(collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize: 10 }))).rejects.toMatchObject({
      status: 400,
    });
    expect(starts()).toEqual(["1/10", "11/10", "1/1"]);
  });

  it("property: any deletions between pages, with a server refusing a start past the end: it ends cleanly, in order, no duplicate", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 1, max: 15 }),
        fc.array(fc.array(fc.nat(), { maxLength: 20 }), { maxLength: 20 }),
        async (size, pageSize, deletions) => {
          server.requests.length = 0;
          const all = ids(size);
          serveList(all, (pageNo, list) => {
            for (const d of deletions[pageNo - 1] ?? []) if (list.length > 0) list.splice(d % list.length, 1);
          }, true);
          const got = await collect(client().paginateBackgroundTasks({ instanceId: INSTANCE, pageSize }));
          expect(new Set(got).size).toBe(got.length);
          const positions = got.map((id) => all.indexOf(id));
          expect(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!))).toBe(true);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("the caller's signal stops the iteration", async () => {
    serveList(ids(1000));
    const ac = new AbortController();
    const seen: string[] = [];
    const err = await (async () => {
      for await (const t of client().paginateBackgroundTasks({ instanceId: INSTANCE, signal: ac.signal })) {
        seen.push(t.id);
        if (seen.length === 150) ac.abort();
      }
    })().catch((e: unknown) => e);
    expect((err as Error).name).toBe("AbortError");
    expect(seen.length).toBe(150); // stops right after the task during which it was aborted
    expect(server.requests).toHaveLength(2);
  });
});

describe("paginate (unit)", () => {
  it("skips tasks a shift re-shows from the previous page", async () => {
    // A fetcher that re-shows the previous page's last task at the head of each page.
    const pages = [["a", "b", "c"], ["c", "d", "e"], ["e", "f"]];
    let i = 0;
    const got: string[] = [];
    for await (const t of paginate(async () => ({ task_count: "100", tasks: pages[i++]!.map((id) => task(id)) }), 3, Infinity)) {
      got.push(t.id);
    }
    expect(got).toEqual(["a", "b", "c", "d", "e", "f"]);
  });

  it("memory is bounded: ids from two pages back are forgotten (the documented limit)", async () => {
    const pages = [["a", "b"], ["c", "d"], ["a", "e"]];
    let i = 0;
    const got: string[] = [];
    for await (const t of paginate(async () => ({ task_count: "100", tasks: pages[i++]!.map((id) => task(id)) }), 2, 6)) {
      got.push(t.id);
      if (i === 3 && t.id === "e") break;
    }
    expect(got).toEqual(["a", "b", "c", "d", "a", "e"]);
  });
});
