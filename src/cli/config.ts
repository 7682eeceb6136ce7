/**
 * Client options from flags first, then the environment. Secrets come only from the
 * environment or stdin, never from a flag value (flag values show in `ps`).
 *
 *   DMS_TASKS_REGION, DMS_TASKS_ENDPOINT     region / endpoint (flags --region, --endpoint)
 *   HUAWEICLOUD_SDK_PROJECT_ID               project (flag --project-id)
 *   HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK,  AK/SK, as the official SDKs read them
 *   HUAWEICLOUD_SDK_SECURITY_TOKEN
 *   DMS_TASKS_TOKEN                          an IAM token (or --token-stdin)
 *
 * A token (--token-stdin, then DMS_TASKS_TOKEN) wins over AK/SK.
 */
import type { BackgroundTasksClientOptions, Credentials } from "../index.js";
import { intFlag, stringFlag, type Values } from "./args.js";
import { UsageError } from "./usage.js";

/** An IAM token is a few KiB; anything much larger on stdin is a mistake. */
const MAX_STDIN_BYTES = 64 * 1024;

export type Env = Record<string, string | undefined>;

function env(e: Env, name: string): string | undefined {
  const v = e[name];
  return v === undefined || v === "" ? undefined : v;
}

export async function clientOptions(values: Values, e: Env, stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<BackgroundTasksClientOptions> {
  const region = stringFlag(values, "region") ?? env(e, "DMS_TASKS_REGION");
  const endpoint = stringFlag(values, "endpoint") ?? env(e, "DMS_TASKS_ENDPOINT");
  if (region === undefined && endpoint === undefined) {
    throw new UsageError("no region: give --region (or DMS_TASKS_REGION) or --endpoint (or DMS_TASKS_ENDPOINT)");
  }
  const projectId = stringFlag(values, "project-id") ?? env(e, "HUAWEICLOUD_SDK_PROJECT_ID");
  if (projectId === undefined) throw new UsageError("no project: give --project-id or set HUAWEICLOUD_SDK_PROJECT_ID");

  const options: BackgroundTasksClientOptions = { projectId, credentials: await credentials(values, e, stdin) };
  if (region !== undefined) options.region = region;
  if (endpoint !== undefined) options.endpoint = endpoint;
  const timeoutMs = intFlag(values, "timeout-ms");
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  const retries = intFlag(values, "retries");
  if (retries !== undefined) options.retry = retries === 0 ? false : { maxAttempts: retries + 1 };
  return options;
}

async function credentials(values: Values, e: Env, stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<Credentials> {
  if (values["token-stdin"]) {
    if (stdin.isTTY) throw new UsageError("--token-stdin: pipe the token in (e.g. dms-tasks ... --token-stdin < token-file)");
    const token = (await readAll(stdin)).trim();
    if (token === "") throw new UsageError("--token-stdin: stdin was empty");
    return { token };
  }
  const token = env(e, "DMS_TASKS_TOKEN");
  if (token !== undefined) return { token };
  const accessKey = env(e, "HUAWEICLOUD_SDK_AK");
  const secretKey = env(e, "HUAWEICLOUD_SDK_SK");
  if (accessKey !== undefined && secretKey !== undefined) {
    const securityToken = env(e, "HUAWEICLOUD_SDK_SECURITY_TOKEN");
    return securityToken === undefined ? { accessKey, secretKey } : { accessKey, secretKey, securityToken };
  }
  if (accessKey !== undefined || secretKey !== undefined) {
    throw new UsageError("AK/SK: set both HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK");
  }
  throw new UsageError("no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or DMS_TASKS_TOKEN, or pipe a token with --token-stdin");
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_STDIN_BYTES) throw new UsageError(`--token-stdin: more than ${MAX_STDIN_BYTES} bytes on stdin`);
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}
