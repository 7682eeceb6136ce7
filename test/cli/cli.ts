// Runs the built command (dist/cli/main.js) as a user would: a child process with its own
// environment (nothing inherited but PATH), stdin piped or closed, stdout and stderr captured.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));
if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (or npm run compile) first`);

export const PROJECT_ID = "0123456789abcdef0123456789abcdef";
export const INSTANCE_ID = "5b3d8a7e-0f6c-4f0e-9a7e-2b6c1d0e9f11";
export const TASK_ID = "ff80808272dcc90f0172df1e490f41b0";
/** Real-looking secrets: none of them may ever appear in any output. */
export const SECRETS = {
  token: "MIIZkQYJKoZIhvcNAQcCoIIZgjCCGX4CAQExDTALBglghkgBZQMEAgEwghdjBgkqhkiG9w0BBwGgghdUBIIXUHsidG9rZW4iOnsiZXhwaXJlc19hdCI6IjIwMjYtMTEtMjhUMDk6MDA6MDAuMDAwMDAwWiJ9fQ",
  secretKey: "Zm9vYmFyU2VjcmV0S2V5RXhhbXBsZTAxMjM0NTY3ODlhYmNk",
  securityToken: "gQpjbi1ub3J0aC00iexpX3Rlc3Rfc2VjdXJpdHlfdG9rZW5fMDEyMzQ1Njc4OWFiY2RlZg",
};
export const ACCESS_KEY = "HPUAEXAMPLEACCESSKEY";

export interface RunOptions {
  env?: Record<string, string>;
  /** Written to stdin, then closed; without it stdin is closed at once. */
  input?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment of an IAM-token user of `endpoint`. */
export function tokenEnv(endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return { DMS_TASKS_ENDPOINT: endpoint, HUAWEICLOUD_SDK_PROJECT_ID: PROJECT_ID, DMS_TASKS_TOKEN: SECRETS.token, ...extra };
}

export interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves once stdout satisfies `test` (rejects if the process ends first). */
  waitForStdout: (test: (s: string) => boolean) => Promise<void>;
  done: Promise<RunResult>;
}

export function start(args: string[], options: RunOptions = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers: { test: (s: string) => boolean; resolve: () => void }[] = [];
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    for (const w of watchers.slice()) if (w.test(stdout)) watchers.splice(watchers.indexOf(w), 1), w.resolve();
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin!.on("error", () => {}); // the command may exit before reading stdin
  child.stdin!.end(options.input ?? "");
  // A safety net against a hung command (not a timing assertion): the test then fails on its result.
  const guard = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const done = new Promise<RunResult>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout: (test) =>
      test(stdout)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            watchers.push({ test, resolve });
            void done.then(() => reject(new Error(`the command ended before stdout matched; stdout: ${stdout}\nstderr: ${stderr}`)));
          }),
    done,
  };
}

export function run(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return start(args, options).done;
}

/** Asserts that no secret (in any of its usual encodings) occurs in `text`. */
export function secretsIn(text: string): string[] {
  const found: string[] = [];
  for (const [name, value] of Object.entries(SECRETS)) {
    for (const form of [value, encodeURIComponent(value), JSON.stringify(value).slice(1, -1), value.slice(0, 24)]) {
      if (text.includes(form)) found.push(name);
    }
  }
  return found;
}
