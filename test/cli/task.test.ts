// get, progress, delete and wait against a real local node:http server, including a task that
// moves through its statuses.
import { describe, expect, it } from "vitest";
import { useTestServer, type Reply } from "../client/server.ts";
import { INSTANCE_ID, PROJECT_ID, run, start, TASK_ID, tokenEnv } from "./cli.ts";

const TASK = {
  id: TASK_ID,
  name: "bindInstancePublicIp",
  user_name: "dms_test",
  user_id: "xxxxxxxx93ff484a828144c6xxxxxxxx",
  params: '{"public_ip_id":"06a13350-4305-4338-9f0e-6b322bb1413d","enable_public_ip":true}',
  status: "SUCCESS",
  created_at: "2020-06-23T03:00:03.471Z",
  updated_at: "2020-06-23T03:00:08.130Z",
};
const TASK_PATH = `/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks/${TASK_ID}`;
const PROGRESS = {
  progress_percentage: 40,
  remain_time: 1124,
  step_list: [
    { name: "pre_check", statue: "COMPLETED", start_time: 1765307538503, end_time: 1765307543286 },
    { name: "rolling_scaling", statue: "IN_PROGRESS", start_time: 1765307543286, end_time: null },
    { name: "resume_operation", statue: "WAITING", start_time: null, end_time: null },
  ],
};
const NOT_FOUND: Reply = {
  status: 404,
  headers: { "X-Request-Id": "req-0a1b2c" },
  body: { error_code: "DMS.00404022", error_msg: "This instance does not exist" },
};
const withStatus = (status: string): Reply => ({ status: 200, body: { task_count: "1", tasks: [{ ...TASK, status }] } });

const server = useTestServer(() => withStatus("SUCCESS"));
const cli = (args: string[], env: Record<string, string> = {}) => run(args, { env: tokenEnv(server.url, env) });

describe("get", () => {
  it("json (the default off a terminal) is the task object with the wire's field names", async () => {
    const r = await cli(["get", INSTANCE_ID, TASK_ID]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(TASK);
    expect(server.requests.map((q) => `${q.method} ${q.url}`)).toEqual([`GET ${TASK_PATH}`]);
  });

  it("ndjson, csv and table", async () => {
    expect((await cli(["get", INSTANCE_ID, TASK_ID, "-o", "ndjson"])).stdout).toBe(JSON.stringify(TASK) + "\n");
    const csv = (await cli(["get", INSTANCE_ID, TASK_ID, "-o", "csv"])).stdout;
    expect(csv).toBe(
      "id,name,user_name,user_id,params,status,created_at,updated_at\r\n" +
        `${TASK_ID},bindInstancePublicIp,dms_test,xxxxxxxx93ff484a828144c6xxxxxxxx,"{""public_ip_id"":""06a13350-4305-4338-9f0e-6b322bb1413d"",""enable_public_ip"":true}",SUCCESS,2020-06-23T03:00:03.471Z,2020-06-23T03:00:08.130Z\r\n`,
    );
    const table = (await cli(["get", INSTANCE_ID, TASK_ID, "-o", "table"], { TZ: "America/New_York" })).stdout.split("\n");
    expect(table[0]).toMatch(/^ID +NAME +STATUS +CREATED +UPDATED +USER +PARAMS$/);
    expect(table[1]).toMatch(new RegExp(`^${TASK_ID}  bindInstancePublicIp  SUCCESS  2020-06-22 23:00:03  2020-06-22 23:00:08  dms_test  \\{"public_ip_id`));
  });

  it("an API error is one line on stderr with status, code, message and request id; exit 1; --debug adds the stack", async () => {
    server.setHandler(() => NOT_FOUND);
    const r = await cli(["get", INSTANCE_ID, TASK_ID]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("error: HTTP 404 DMS.00404022 This instance does not exist (request id req-0a1b2c)\n");
    const debug = await cli(["get", INSTANCE_ID, TASK_ID, "--debug"]);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain("error: HTTP 404 DMS.00404022 This instance does not exist (request id req-0a1b2c)\n");
    expect(debug.stderr).toMatch(/\n {4}at /);
  });

  it("a server's message cannot drive the terminal: control characters and line breaks become spaces", async () => {
    server.setHandler(() => ({ status: 400, body: { error_code: "DMS.00400026", error_msg: "\u001b]0;owned\u0007bad\u001b[31m status\r\nsecond line" } }));
    const r = await cli(["get", INSTANCE_ID, TASK_ID]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: HTTP 400 DMS.00400026 ]0;owned bad [31m status second line\n");
  });

  it("a server that is not there: exit 1 with the network error", async () => {
    const { closedPortUrl } = await import("../client/server.ts");
    const r = await run(["get", INSTANCE_ID, TASK_ID, "--retries", "0"], { env: tokenEnv(await closedPortUrl()) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Request failed without a response: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+\n$/);
  });
});

describe("progress", () => {
  it("json is the wire document; table shows percentage, remaining time and steps in local time", async () => {
    server.setHandler(() => ({ status: 200, body: PROGRESS }));
    const json = await cli(["progress", INSTANCE_ID, TASK_ID]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(PROGRESS);
    expect(server.requests[0]!.url).toBe(`${TASK_PATH}/progress`);

    const table = await cli(["progress", INSTANCE_ID, TASK_ID, "-o", "table"], { TZ: "UTC" });
    expect(table.stdout).toBe(
      [
        "progress   40%",
        "remaining  1124 (the API does not document the unit)",
        "",
        "STEP              STATUS       STARTED              ENDED",
        "pre_check         COMPLETED    2025-12-09 19:12:18  2025-12-09 19:12:23",
        "rolling_scaling   IN_PROGRESS  2025-12-09 19:12:23",
        "resume_operation  WAITING",
        "",
      ].join("\n"),
    );
  });

  it("csv has one record a step; ndjson one line", async () => {
    server.setHandler(() => ({ status: 200, body: PROGRESS }));
    const csv = await cli(["progress", INSTANCE_ID, TASK_ID, "-o", "csv"]);
    expect(csv.stdout.split("\r\n")).toEqual([
      "progress_percentage,remain_time,name,statue,start_time,end_time",
      "40,1124,pre_check,COMPLETED,1765307538503,1765307543286",
      "40,1124,rolling_scaling,IN_PROGRESS,1765307543286,",
      "40,1124,resume_operation,WAITING,,",
      "",
    ]);
    expect((await cli(["progress", INSTANCE_ID, TASK_ID, "-o", "ndjson"])).stdout).toBe(JSON.stringify(PROGRESS) + "\n");
  });
});

describe("delete", () => {
  it("--yes deletes: one DELETE, exit 0", async () => {
    server.setHandler(() => ({ status: 204 }));
    const r = await cli(["delete", INSTANCE_ID, TASK_ID, "--yes"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`deleted task ${TASK_ID}\n`);
    expect(server.requests.map((q) => `${q.method} ${q.url}`)).toEqual([`DELETE ${TASK_PATH}`]);
  });

  it("without a terminal and without --yes it refuses: exit 2, nothing sent", async () => {
    const r = await cli(["delete", INSTANCE_ID, TASK_ID]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: delete: not on a terminal, so nothing to confirm with: add --yes to delete\n");
    expect(server.requests).toHaveLength(0);
  });
});

describe("wait", () => {
  it("follows the task through its statuses: one line per change on stderr, the task on stdout, exit 0", async () => {
    const statuses = ["CREATED", "EXECUTING", "EXECUTING", "SUCCESS"];
    server.setHandler(() => withStatus(statuses.shift() ?? "SUCCESS"));
    const r = await cli(["wait", INSTANCE_ID, TASK_ID, "--interval", "100ms"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(TASK);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.map((l) => l.replace(/^\S+ /, ""))).toEqual([`${TASK_ID} CREATED`, `${TASK_ID} EXECUTING`, `${TASK_ID} SUCCESS`]);
    for (const l of lines) expect(l).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
    // Four reads of the task; no progress requests without a terminal.
    expect(server.requests.map((q) => q.url)).toEqual([TASK_PATH, TASK_PATH, TASK_PATH, TASK_PATH]);
  });

  it("a task read without a status gets its line too, then one per change", async () => {
    const bodies = [{ id: TASK_ID }, { id: TASK_ID }, { ...TASK, status: "SUCCESS" }];
    server.setHandler(() => ({ status: 200, body: { task_count: "1", tasks: [bodies.shift() ?? TASK] } }));
    const r = await cli(["wait", INSTANCE_ID, TASK_ID, "--interval", "100ms"]);
    expect(r.code).toBe(0);
    expect(r.stderr.trimEnd().split("\n").map((l) => l.replace(/^\S+ /, ""))).toEqual([`${TASK_ID} (no status)`, `${TASK_ID} SUCCESS`]);
  });

  for (const end of ["FAILED", "CANCELLED", "DELETED"]) {
    it(`a task that ends ${end}: exit 3, the task on stdout, the reason on stderr`, async () => {
      const statuses = ["EXECUTING", end];
      server.setHandler(() => withStatus(statuses.shift() ?? end));
      const r = await cli(["wait", INSTANCE_ID, TASK_ID, "--interval", "100ms"]);
      expect(r.code).toBe(3);
      expect(JSON.parse(r.stdout)).toEqual({ ...TASK, status: end });
      expect(r.stderr).toMatch(new RegExp(`error: Task ${TASK_ID} ended with status ${end}\\n$`));
    });
  }

  it("--timeout: exit 4 when the task is still running", async () => {
    server.setHandler(() => withStatus("EXECUTING"));
    const r = await cli(["wait", INSTANCE_ID, TASK_ID, "--timeout", "1s", "--interval", "100ms"]);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`error: Task ${TASK_ID} did not finish within 1000 ms \\(last status EXECUTING, \\d+ polls\\)\\n$`));
  });

  it("a bad duration, or one out of the library's range, is a usage error: exit 2, nothing sent", async () => {
    const cases: [string[], RegExp][] = [
      [["--timeout", "soon"], /^error: --timeout: invalid duration "soon"/],
      [["--interval", "10"], /^error: --interval: invalid duration "10"/],
      [["--interval", "-5s"], /^error: Option '--interval' argument is ambiguous/],
      [["--interval", "50ms"], /^error: --interval: must be a finite number of milliseconds from 100 /],
      [["--timeout", "0s"], /^error: --timeout: must be a finite number of milliseconds from 1 /],
    ];
    for (const [args, message] of cases) {
      const r = await cli(["wait", INSTANCE_ID, TASK_ID, ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    expect(server.requests).toHaveLength(0);
  });

  it("SIGINT stops the wait at once: exit 130", async () => {
    server.setHandler(() => withStatus("EXECUTING"));
    const cmd = start(["wait", INSTANCE_ID, TASK_ID, "--interval", "1h"], { env: tokenEnv(server.url) });
    await server.waitForRequests(1);
    await new Promise<void>((resolve) => {
      const check = () => (cmd.stderr().includes("EXECUTING") ? resolve() : setTimeout(check, 20));
      check();
    });
    cmd.child.kill("SIGINT");
    const r = await cmd.done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/EXECUTING\n\ninterrupted\n$/);
    expect(server.requests).toHaveLength(1);
  });
});
