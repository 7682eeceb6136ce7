// Configuration (flags first, then the environment), credentials, --help/--version, and that no
// secret is ever printed, --debug included.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { useTestServer, type RecordedRequest, type Reply } from "../client/server.ts";
import { ACCESS_KEY, INSTANCE_ID, PROJECT_ID, run, secretsIn, SECRETS, TASK_ID, tokenEnv } from "./cli.ts";

const OK: Reply = { status: 200, body: { task_count: "0", tasks: [] } };
const main = useTestServer(() => OK);
const other = useTestServer(() => OK);

const AKSK_ENV = {
  HUAWEICLOUD_SDK_AK: ACCESS_KEY,
  HUAWEICLOUD_SDK_SK: SECRETS.secretKey,
  HUAWEICLOUD_SDK_SECURITY_TOKEN: SECRETS.securityToken,
  HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID,
};

describe("flags first, then the environment", () => {
  it("--endpoint and --project-id win over DMS_TASKS_ENDPOINT and HUAWEICLOUD_SDK_PROJECT_ID", async () => {
    const r = await run(["list", INSTANCE_ID, "--endpoint", main.url, "--project-id", "flagproject"], { env: tokenEnv(other.url) });
    expect(r.code).toBe(0);
    expect(other.requests).toHaveLength(0);
    expect(main.requests.map((q) => q.path)).toEqual([`/v2/flagproject/instances/${INSTANCE_ID}/tasks`]);
  });

  it("the environment alone is enough", async () => {
    const r = await run(["list", INSTANCE_ID], { env: tokenEnv(other.url) });
    expect(r.code).toBe(0);
    expect(other.requests.map((q) => q.path)).toEqual([`/v2/${PROJECT_ID}/instances/${INSTANCE_ID}/tasks`]);
  });

  it("--region and DMS_TASKS_REGION name the region (shown by --debug; a bad id stops before any request)", async () => {
    const env = { HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID, DMS_TASKS_TOKEN: SECRETS.token };
    const fromEnv = await run(["list", "bad/id", "--debug"], { env: { ...env, DMS_TASKS_REGION: "ap-southeast-1" } });
    expect(fromEnv.stderr.split("\n")[0]).toBe(`debug: region ap-southeast-1, project ${PROJECT_ID}, IAM token`);
    expect(fromEnv.code).toBe(2);
    const fromFlag = await run(["list", "bad/id", "--debug", "--region", "eu-west-101"], { env: { ...env, DMS_TASKS_REGION: "ap-southeast-1" } });
    expect(fromFlag.stderr.split("\n")[0]).toBe(`debug: region eu-west-101, project ${PROJECT_ID}, IAM token`);
  });

  it("--timeout-ms bounds an attempt and --retries counts the retries", async () => {
    main.setHandler(() => ({ hang: true }));
    const slow = await run(["list", INSTANCE_ID, "--endpoint", main.url, "--timeout-ms", "300", "--retries", "0"], { env: tokenEnv(other.url) });
    expect(slow.code).toBe(1);
    expect(slow.stderr).toBe("error: Request timed out after 300 ms\n");
    expect(main.requests).toHaveLength(1);

    main.requests.length = 0;
    main.setHandler(() => ({ status: 503, body: { error_code: "APIGW.0503", error_msg: "busy" }, headers: { "Retry-After": "0" } }));
    const busy = await run(["list", INSTANCE_ID, "--endpoint", main.url, "--retries", "2"], { env: tokenEnv(other.url) });
    expect(busy.code).toBe(1);
    expect(busy.stderr).toBe("error: HTTP 503 APIGW.0503 busy\n");
    expect(main.requests).toHaveLength(3);
  });

  const bad: [string, string[], Record<string, string>, string][] = [
    ["no region nor endpoint", [], { DMS_TASKS_TOKEN: SECRETS.token, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID }, "error: no region: give --region (or DMS_TASKS_REGION) or --endpoint (or DMS_TASKS_ENDPOINT)\n"],
    ["no project", [], { DMS_TASKS_TOKEN: SECRETS.token, DMS_TASKS_ENDPOINT: "http://127.0.0.1:9" }, "error: no project: give --project-id or set HUAWEICLOUD_SDK_PROJECT_ID\n"],
    ["no credentials", [], { DMS_TASKS_ENDPOINT: "http://127.0.0.1:9", HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID }, "error: no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or DMS_TASKS_TOKEN, or pipe a token with --token-stdin\n"],
    ["an AK without its SK", [], { DMS_TASKS_ENDPOINT: "http://127.0.0.1:9", HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID, HUAWEICLOUD_SDK_AK: ACCESS_KEY }, "error: AK/SK: set both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK\n"],
    ["a bad region", ["--region", "moon-1"], { DMS_TASKS_TOKEN: SECRETS.token, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID }, "error: invalid --region (DMS_TASKS_REGION): must be a region ID such as cn-north-4 or ap-southeast-1\n"],
    ["plain http to another host", ["--endpoint", "http://dms.example.com"], { DMS_TASKS_TOKEN: SECRETS.token, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID }, "error: invalid --endpoint (DMS_TASKS_ENDPOINT): plain http: would send credentials in clear text; use https: (http: is allowed only to a loopback address)\n"],
    ["a token given as a flag value", ["--token", SECRETS.token], { HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID }, "error: Unknown option '--token'\n"],
    ["a non-numeric --retries", ["--retries", "many"], { DMS_TASKS_TOKEN: SECRETS.token, DMS_TASKS_ENDPOINT: "http://127.0.0.1:9", HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID }, 'error: --retries: expected a whole number, got "many"\n'],
  ];
  for (const [what, args, env, message] of bad) {
    it(`${what}: exit 2 with a clear message`, async () => {
      const r = await run(["list", INSTANCE_ID, ...args], { env });
      expect([r.code, r.stderr, r.stdout]).toEqual([2, message, ""]);
    });
  }
});

describe("credentials", () => {
  const header = (q: RecordedRequest, name: string) => q.headers[name];

  it("AK/SK from the official SDK variables: a signed request with the security token and project", async () => {
    const r = await run(["list", INSTANCE_ID, "--endpoint", main.url], { env: AKSK_ENV });
    expect(r.code).toBe(0);
    const q = main.requests[0]!;
    expect(header(q, "authorization")).toMatch(new RegExp(`^SDK-HMAC-SHA256 Access=${ACCESS_KEY}, SignedHeaders=[a-z;-]+, Signature=[0-9a-f]{64}$`));
    expect(header(q, "x-security-token")).toBe(SECRETS.securityToken);
    expect(header(q, "x-project-id")).toBe(PROJECT_ID);
    expect(header(q, "x-auth-token")).toBeUndefined();
  });

  it("DMS_TASKS_TOKEN wins over AK/SK, and --token-stdin wins over both", async () => {
    await run(["list", INSTANCE_ID, "--endpoint", main.url], { env: { ...AKSK_ENV, DMS_TASKS_TOKEN: SECRETS.token } });
    expect(header(main.requests[0]!, "x-auth-token")).toBe(SECRETS.token);
    expect(header(main.requests[0]!, "authorization")).toBeUndefined();

    const piped = "piped-token-0123456789abcdefghijklmnopqrstuvwxyz";
    const r = await run(["list", INSTANCE_ID, "--endpoint", main.url, "--token-stdin"], {
      env: { ...AKSK_ENV, DMS_TASKS_TOKEN: SECRETS.token },
      input: piped + "\n",
    });
    expect(r.code).toBe(0);
    expect(header(main.requests[1]!, "x-auth-token")).toBe(piped);
  });

  it("--token-stdin with nothing on stdin: exit 2", async () => {
    const r = await run(["list", INSTANCE_ID, "--endpoint", main.url, "--token-stdin"], { env: { HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID } });
    expect([r.code, r.stderr]).toEqual([2, "error: --token-stdin: stdin was empty\n"]);
    expect(main.requests).toHaveLength(0);
  });
});

describe("no secret in any output", () => {
  /** A server that echoes every request header back in its error message, as a broken gateway might. */
  const echo = (q: RecordedRequest): Reply => ({
    status: 401,
    body: { error_code: "APIGW.0301", error_msg: `rejected ${JSON.stringify(q.headers)}` },
    headers: { "X-Request-Id": `echo ${String(q.headers["x-auth-token"] ?? q.headers["authorization"])}` },
  });

  for (const [kind, env] of [
    ["IAM token", { DMS_TASKS_TOKEN: SECRETS.token, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID }],
    ["AK/SK with a security token", AKSK_ENV],
  ] as const) {
    for (const command of [["list", INSTANCE_ID, "--all"], ["get", INSTANCE_ID, TASK_ID], ["wait", INSTANCE_ID, TASK_ID, "--timeout", "1s"], ["delete", INSTANCE_ID, TASK_ID, "--yes"]]) {
      it(`${kind}: ${command[0]} with a server echoing the headers, --debug on`, async () => {
        main.setHandler(echo);
        const r = await run([...command, "--endpoint", main.url, "--debug", "--retries", "0"], { env });
        expect(r.code).not.toBe(0);
        expect(main.requests.length).toBeGreaterThan(0);
        expect(r.stderr).toContain("APIGW.0301"); // the echo was printed, only without its secrets
        expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
        expect(r.stdout + r.stderr).not.toMatch(/Signature=[0-9a-f]{64}/);
      });
    }
  }

  it("a piped token stays secret too", async () => {
    main.setHandler(echo);
    const r = await run(["get", INSTANCE_ID, TASK_ID, "--endpoint", main.url, "--token-stdin", "--debug"], {
      env: { HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID },
      input: SECRETS.token,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("[REDACTED]");
    expect(secretsIn(r.stdout + r.stderr)).toEqual([]);
  });
});

describe("--help and --version", () => {
  it("--version prints the package's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    for (const args of [["--version"], ["-V"], ["list", "--version"]]) {
      expect(await run(args)).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: "" });
    }
  });

  it("--help for the command and for each of its commands", async () => {
    const top = await run(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/^dms-tasks: /);
    for (const command of ["list", "get", "progress", "wait", "delete"]) {
      expect(top.stdout).toContain(`  ${command} <instance-id>`);
      for (const args of [[command, "--help"], ["help", command], [command, "-h"]]) {
        const r = await run(args);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: dms-tasks ${command} <instance-id>`));
        expect(r.stdout).toContain("Exit codes: 0 success");
      }
    }
  });

  it("no command at all: exit 2", async () => {
    expect(await run([])).toMatchObject({ code: 2, stderr: "error: missing command (list, get, progress, wait or delete); see dms-tasks --help\n" });
  });
});
