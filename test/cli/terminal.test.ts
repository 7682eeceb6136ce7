// Real-terminal behaviour under tmux: the list progress line, the wait status line, the delete
// prompt, and Ctrl-C.
import { describe, expect, it } from "vitest";
import { useTestServer, type RecordedRequest, type Reply } from "../client/server.ts";
import { INSTANCE_ID, TASK_ID, tokenEnv } from "./cli.ts";
import { startInTerminal, useTmux } from "./tmux.ts";

useTmux();
const server = useTestServer();

const task = (n: number, status = "SUCCESS") => ({ id: `task-${String(n).padStart(4, "0")}`, name: "kafkaConfigModify", status, created_at: "2020-06-23T03:00:03.471Z" });
const TASKS = Array.from({ length: 250 }, (_, i) => task(i + 1));
function paging(req: RecordedRequest): Reply {
  const start = Number(req.query.get("start") ?? 1);
  const limit = Number(req.query.get("limit") ?? 10);
  return { status: 200, body: { task_count: String(TASKS.length), tasks: TASKS.slice(start - 1, start - 1 + limit) } };
}
const one = (status: string): Reply => ({ status: 200, body: { task_count: "1", tasks: [{ ...task(1, status), id: TASK_ID }] } });

describe("list --all on a terminal", () => {
  it("shows a table and, on stderr, how many tasks were read out of task_count", async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.setHandler(async (req) => {
      if (Number(req.query.get("start") ?? 1) > 1) await held;
      return paging(req);
    });
    const pane = startInTerminal(["list", INSTANCE_ID, "--all"], tokenEnv(server.url));
    // The default format on a terminal is table; page 1 is shown while page 2 is held.
    const midway = await pane.waitFor((s) => s.includes("task-0100  kafkaConfigModify  SUCCESS") && s.endsWith("read 100 of 250 tasks"), "page 1 and the progress line");
    expect(midway).not.toContain("task-0101");
    release();
    expect(await pane.exitCode()).toBe(0);
    const end = pane.screen().split("\n");
    expect(end.filter((l) => l.startsWith("read "))).toEqual(["read 250 of 250 tasks"]); // redrawn in place, never repeated
    expect(end.some((l) => l.startsWith("task-0250  kafkaConfigModify  SUCCESS  "))).toBe(true);
  });

  it("the total comes from the pages themselves: no request beyond the pages", async () => {
    server.setHandler(paging);
    const pane = startInTerminal(["list", INSTANCE_ID, "--all", "-o", "ndjson"], tokenEnv(server.url));
    expect(await pane.exitCode()).toBe(0);
    expect(pane.screen()).toContain("read 250 of 250 tasks");
    expect(server.requests.map((q) => q.search)).toEqual(["start=1&limit=100", "start=101&limit=100", "start=201&limit=100"]);
  });

  it("Ctrl-C while a page is pending: exit 130 at once", async () => {
    server.setHandler((req) => (Number(req.query.get("start") ?? 1) > 1 ? { hang: true } : paging(req)));
    const pane = startInTerminal(["list", INSTANCE_ID, "--all", "-o", "ndjson"], tokenEnv(server.url));
    await pane.waitFor((s) => s.includes("read 100 of 250 tasks"), "the progress line");
    pane.keys("C-c");
    expect(await pane.exitCode()).toBe(130);
    expect(pane.screen()).toContain('{"id":"task-0100"');
    expect(pane.screen()).toContain("interrupted");
  });
});

describe("wait on a terminal", () => {
  it("shows one live line with status, progress percentage and elapsed time, then the task", async () => {
    let status = "EXECUTING";
    server.setHandler((req) => (req.path.endsWith("/progress") ? { status: 200, body: { progress_percentage: 40, remain_time: 60, step_list: [] } } : one(status)));
    const pane = startInTerminal(["wait", INSTANCE_ID, TASK_ID, "--interval", "100ms", "-o", "json"], tokenEnv(server.url));
    const live = await pane.waitFor((s) => new RegExp(`task ${TASK_ID}: EXECUTING, 40%, \\d+s elapsed`).test(s), "the status line with 40%");
    expect(live.split("\n").filter((l) => l.includes("elapsed"))).toHaveLength(1);
    status = "SUCCESS";
    expect(await pane.exitCode()).toBe(0);
    const end = pane.screen();
    expect(end).toMatch(new RegExp(`task ${TASK_ID}: SUCCESS, 40%, \\d+s elapsed`));
    expect(end.split("\n").filter((l) => l.includes("elapsed"))).toHaveLength(1);
    expect(end).toContain(`"id": "${TASK_ID}"`);
  });

  it("a progress answer still pending when the task ends does not redraw the line under the result", async () => {
    let status = "EXECUTING";
    server.setHandler((req) => (req.path.endsWith("/progress") ? { hang: true } : one(status)));
    const pane = startInTerminal(["wait", INSTANCE_ID, TASK_ID, "--interval", "100ms", "-o", "ndjson"], tokenEnv(server.url));
    await pane.waitFor((s) => s.includes(`task ${TASK_ID}: EXECUTING`), "the status line");
    await server.waitForRequests(2); // the progress request is out
    status = "SUCCESS";
    expect(await pane.exitCode()).toBe(0);
    const lines = pane.screen().split("\n");
    const statusLines = lines.flatMap((l, i) => (l.includes("elapsed") ? [i] : []));
    expect(statusLines).toHaveLength(1);
    expect(lines[statusLines[0]! + 1]).toMatch(/^\{"id":/); // the task follows the line, nothing after it
    expect(lines[statusLines[0]! + 2]).toBe("[exit 0]");
  });

  it("an engine without progress (RabbitMQ: 404): no percentage, asked once, the wait goes on", async () => {
    let status = "EXECUTING";
    server.setHandler((req) => (req.path.endsWith("/progress") ? { status: 404, body: { error_code: "DMS.00404000", error_msg: "not found" } } : one(status)));
    const pane = startInTerminal(["wait", INSTANCE_ID, TASK_ID, "--interval", "100ms"], tokenEnv(server.url));
    await pane.waitFor((s) => new RegExp(`task ${TASK_ID}: EXECUTING, \\d+s elapsed`).test(s), "the status line");
    await server.waitForRequests(4); // several polls after the progress request failed
    status = "FAILED";
    expect(await pane.exitCode()).toBe(3);
    expect(server.requests.filter((q) => q.path.endsWith("/progress"))).toHaveLength(1);
    expect(pane.screen()).toContain(`error: Task ${TASK_ID} ended with status FAILED`);
  });

  it("Ctrl-C: exit 130 at once", async () => {
    server.setHandler(() => one("EXECUTING"));
    const pane = startInTerminal(["wait", INSTANCE_ID, TASK_ID, "--interval", "1h"], tokenEnv(server.url));
    await pane.waitFor((s) => s.includes(`task ${TASK_ID}: EXECUTING`), "the status line");
    pane.keys("C-c");
    expect(await pane.exitCode()).toBe(130);
  });
});

describe("delete on a terminal", () => {
  const question = `Delete task ${TASK_ID} of instance ${INSTANCE_ID}? [y/N]`;

  it("asks, and deletes on y", async () => {
    server.setHandler(() => ({ status: 204 }));
    const pane = startInTerminal(["delete", INSTANCE_ID, TASK_ID], tokenEnv(server.url));
    await pane.waitFor((s) => s.includes(question), "the prompt");
    expect(server.requests).toHaveLength(0);
    pane.keys("y", "Enter");
    expect(await pane.exitCode()).toBe(0);
    expect(pane.screen()).toContain(`deleted task ${TASK_ID}`);
    expect(server.requests.map((q) => q.method)).toEqual(["DELETE"]);
  });

  it("anything but y/yes keeps the task: exit 1, nothing sent", async () => {
    const pane = startInTerminal(["delete", INSTANCE_ID, TASK_ID], tokenEnv(server.url));
    await pane.waitFor((s) => s.includes(question), "the prompt");
    pane.keys("n", "Enter");
    expect(await pane.exitCode()).toBe(1);
    expect(pane.screen()).toContain("not deleted");
    expect(server.requests).toHaveLength(0);
  });

  it("--yes does not ask", async () => {
    server.setHandler(() => ({ status: 204 }));
    const pane = startInTerminal(["delete", INSTANCE_ID, TASK_ID, "--yes"], tokenEnv(server.url));
    expect(await pane.exitCode()).toBe(0);
    expect(pane.screen()).not.toContain("[y/N]");
    expect(server.requests.map((q) => q.method)).toEqual(["DELETE"]);
  });

  it("Ctrl-C at the prompt: exit 130, nothing sent", async () => {
    const pane = startInTerminal(["delete", INSTANCE_ID, TASK_ID], tokenEnv(server.url));
    await pane.waitFor((s) => s.includes(question), "the prompt");
    pane.keys("C-c");
    expect(await pane.exitCode()).toBe(130);
    expect(server.requests).toHaveLength(0);
  });
});

describe("--token-stdin on a terminal", () => {
  it("refuses to read a token typed at the terminal: exit 2, nothing sent", async () => {
    const env = tokenEnv(server.url);
    delete (env as Record<string, string | undefined>).DMS_TASKS_TOKEN;
    const pane = startInTerminal(["get", INSTANCE_ID, TASK_ID, "--token-stdin"], env);
    expect(await pane.exitCode()).toBe(2);
    expect(pane.screen()).toContain("error: --token-stdin: pipe the token in");
    expect(server.requests).toHaveLength(0);
  });
});
