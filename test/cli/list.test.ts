// `dms-tasks list` against a real local node:http server that pages: formats, streaming, --all,
// --max, times, and that bad flags send nothing.
import { describe, expect, it } from "vitest";
import { useTestServer, type RecordedRequest, type Reply } from "../client/server.ts";
import { INSTANCE_ID, PROJECT_ID, run, start, tokenEnv } from "./cli.ts";

const TASK_FIELDS = ["id", "name", "user_name", "user_id", "params", "status", "created_at", "updated_at"];

function makeTask(n: number): { id: string; user_id: string; [field: string]: string } {
  return {
    id: `task-${String(n).padStart(4, "0")}`,
    name: "kafkaConfigModify",
    user_name: "dms_test",
    user_id: "xxxxxxxx93ff484a828144c6xxxxxxxx",
    // Quotes, a comma and a line break: the csv must quote them, the table must keep one line.
    params: JSON.stringify({ note: `say "hi", then\nleave`, n, public_ip_id: "06a13350-4305-4338-9f0e-6b322bb1413d" }),
    status: "SUCCESS",
    created_at: "2020-06-23T03:00:03.471Z",
    updated_at: "2020-06-23T03:00:08.130Z",
  };
}

const TASKS = Array.from({ length: 250 }, (_, i) => makeTask(i + 1));

/** Pages TASKS by start (1-based) and limit (default 10), as the API does. */
function paging(req: RecordedRequest): Reply {
  const start = Number(req.query.get("start") ?? 1);
  const limit = Number(req.query.get("limit") ?? 10);
  return { status: 200, body: { task_count: String(TASKS.length), tasks: TASKS.slice(start - 1, start - 1 + limit) } };
}

const server = useTestServer(paging);
const list = (args: string[], env: Record<string, string> = {}) => run(["list", INSTANCE_ID, ...args], { env: tokenEnv(server.url, env) });

describe("one page", () => {
  it("writes a json array of the page's tasks by default when stdout is not a terminal, with the wire's field names", async () => {
    const r = await list(["--start", "11", "--limit", "5"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual(TASKS.slice(10, 15));
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.path).toBe(`/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks`);
    expect(server.requests[0]!.search).toBe("start=11&limit=5");
  });

  it("ndjson: one task per line", async () => {
    const r = await list(["--limit", "3", "--output", "ndjson"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.map((l) => JSON.parse(l))).toEqual(TASKS.slice(0, 3));
  });

  it("csv: a header of the eight task fields and RFC 4180 quoting of params", async () => {
    const r = await list(["--limit", "2", "-o", "csv"]);
    expect(r.code).toBe(0);
    const records = r.stdout.split("\r\n");
    expect(records[0]).toBe(TASK_FIELDS.join(","));
    const t = TASKS[0]!;
    expect(records[1]).toBe(
      `${t.id},kafkaConfigModify,dms_test,${t.user_id},"{""note"":""say \\""hi\\"", then\\nleave"",""n"":1,""public_ip_id"":""06a13350-4305-4338-9f0e-6b322bb1413d""}",SUCCESS,2020-06-23T03:00:03.471Z,2020-06-23T03:00:08.130Z`,
    );
    expect(records).toHaveLength(4); // header, two records, and the empty string after the last CRLF
  });

  it("table: aligned columns, local-time timestamps, params truncated and kept on one line", async () => {
    const r = await list(["--limit", "2", "-o", "table"], { TZ: "Asia/Shanghai" });
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID +NAME +STATUS +CREATED +UPDATED +USER +PARAMS$/);
    // UTC 03:00:03 is 11:00:03 in Shanghai; every column starts where its title does.
    expect(lines[1]).toContain("2020-06-23 11:00:03  2020-06-23 11:00:08");
    for (const title of ["NAME", "STATUS", "CREATED", "UPDATED", "USER", "PARAMS"]) {
      const at = lines[0]!.indexOf(title);
      expect(lines[1]![at - 1]).toBe(" ");
      expect(lines[1]![at]).not.toBe(" ");
    }
    expect(lines[1]).toMatch(/…$/);
    expect(lines[1]!.length).toBeLessThan(200);
  });

  it("an empty page is an empty json array", async () => {
    server.setHandler(() => ({ status: 200, body: { task_count: "0", tasks: [] } }));
    const r = await list([]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe("--all and --max", () => {
  it("reads every page (100 a request by default) into one json array", async () => {
    const r = await list(["--all"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(TASKS);
    expect(server.requests.map((q) => q.search)).toEqual(["start=1&limit=100", "start=101&limit=100", "start=201&limit=100"]);
    expect(r.stderr).toBe(""); // no progress without a terminal
  });

  it("--limit sets the page size and --max stops after that many tasks", async () => {
    const r = await list(["--max", "120", "--limit", "50", "-o", "ndjson"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trimEnd().split("\n").map((l) => JSON.parse(l).id)).toEqual(TASKS.slice(0, 120).map((t) => t.id));
    expect(server.requests.map((q) => q.search)).toEqual(["start=1&limit=50", "start=51&limit=50", "start=101&limit=20"]);
  });

  for (const format of ["ndjson", "csv", "json"]) {
    it(`${format} rows are written as pages arrive: page 1 is on stdout while page 2 is still held by the server`, async () => {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      server.setHandler(async (req) => {
        if (req.query.get("start") !== "1") await held;
        return paging(req);
      });
      const cmd = start(["list", INSTANCE_ID, "--all", "-o", format], { env: tokenEnv(server.url) });
      await cmd.waitForStdout((s) => s.includes(TASKS[99]!.id));
      await server.waitForRequests(2); // page 2 asked for, not answered
      expect(cmd.stdout()).not.toContain(TASKS[100]!.id);
      release();
      const r = await cmd.done;
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(TASKS[249]!.id);
      if (format === "json") expect(JSON.parse(r.stdout)).toHaveLength(250);
    });
  }

  it("SIGINT while a page is pending stops at once: what was written stays, exit 130", async () => {
    server.setHandler((req) => (req.query.get("start") === "1" ? paging(req) : { hang: true }));
    const cmd = start(["list", INSTANCE_ID, "--all", "-o", "ndjson"], { env: tokenEnv(server.url) });
    await cmd.waitForStdout((s) => s.includes(TASKS[99]!.id));
    await server.waitForRequests(2);
    cmd.child.kill("SIGINT");
    const r = await cmd.done;
    expect(r.code).toBe(130);
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(100);
    expect(r.stderr).toBe("\ninterrupted\n");
    await server.requests[1]!.closed; // the pending request was aborted, not left open
    expect(server.requests[1]!.abortedByClient()).toBe(true);
  });
});

describe("a reader that leaves", () => {
  it("`list --all | head -1`: the command stops paging and exits 0 quietly", async () => {
    const cmd = start(["list", INSTANCE_ID, "--all", "--limit", "10", "-o", "ndjson"], { env: tokenEnv(server.url) });
    await cmd.waitForStdout((s) => s.includes("\n"));
    cmd.child.stdout!.destroy(); // what head does after its first line
    const r = await cmd.done;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(server.requests.length).toBeLessThan(25); // 25 pages of 10 would be all of them
  });
});

describe("--since and --until", () => {
  it("ISO 8601 with a zone is sent as UTC YYYYMMDDHHmmss; the API's own form passes through", async () => {
    const r = await list(["--since", "2026-11-27T08:30:00+08:00", "--until", "20261127235959"]);
    expect(r.code).toBe(0);
    expect(server.requests[0]!.query.get("begin_time")).toBe("20261127003000");
    expect(server.requests[0]!.query.get("end_time")).toBe("20261127235959");
  });

  it("a duration means that long ago", async () => {
    const before = Date.now();
    const r = await list(["--since", "7d", "--until", "90m"]);
    const after = Date.now();
    expect(r.code).toBe(0);
    const asMs = (s: string) => Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(8, 10), +s.slice(10, 12), +s.slice(12, 14));
    const begin = asMs(server.requests[0]!.query.get("begin_time")!);
    const end = asMs(server.requests[0]!.query.get("end_time")!);
    // Seconds are truncated on the wire, hence the 1 s of slack below.
    expect(begin).toBeGreaterThanOrEqual(before - 7 * 86_400_000 - 1000);
    expect(begin).toBeLessThanOrEqual(after - 7 * 86_400_000);
    expect(end).toBeGreaterThanOrEqual(before - 90 * 60_000 - 1000);
    expect(end).toBeLessThanOrEqual(after - 90 * 60_000);
  });
});

describe("usage errors exit 2 and send nothing", () => {
  const cases: [string, string[], RegExp][] = [
    ["an unknown flag", ["--bogus"], /^error: Unknown option '--bogus'\n$/],
    ["a flag of another command", ["--yes"], /^error: list: Unknown option '--yes'\n$/],
    ["a bad duration", ["--since", "5 minutes"], /^error: --since: invalid time "5 minutes"/],
    ["a time without a zone", ["--until", "2026-11-27T08:00:00"], /^error: --until: invalid time/],
    ["a bad output format", ["-o", "yaml"], /^error: --output: expected one of table, json, ndjson, csv, got "yaml"\n$/],
    ["a non-numeric limit", ["--limit", "ten"], /^error: --limit: expected a whole number, got "ten"\n$/],
    ["a limit out of range (the library's check)", ["--limit", "101"], /^error: invalid --limit: must be an integer from 1 to 100\n$/],
    ["--start with --all", ["--all", "--start", "5"], /^error: --start cannot be combined with --all/],
    ["since after until", ["--since", "1h", "--until", "2h"], /^error: invalid --since: must not be after endTime\n$/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await list(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
      expect(server.requests).toHaveLength(0);
    });
  }

  it("a missing instance id, an unknown command, and a bad instance id", async () => {
    const env = tokenEnv(server.url);
    const missing = await run(["list"], { env });
    expect([missing.code, missing.stderr]).toEqual([2, "error: list: missing <instance-id>; see dms-tasks list --help\n"]);
    const unknown = await run(["lsit", "x"], { env });
    expect([unknown.code, unknown.stderr]).toEqual([2, 'error: unknown command "lsit"; see dms-tasks --help\n']);
    const bad = await run(["list", "../etc"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: invalid <instance-id>: must be 1 to 64 characters/);
    expect(server.requests).toHaveLength(0);
  });
});
