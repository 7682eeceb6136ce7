// `npm run mock` as a user runs it: however it is stopped (Ctrl-C to the terminal's process group,
// SIGTERM or SIGKILL to npm, SIGTERM to the script, the launcher of npm killed), nothing of its
// process tree survives and its port can be bound again straight away. Its readiness probe leaves
// nothing in Prism's log. Linux: the process tree is read from /proc.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { findFreePort } from "../../scripts/prism.ts";
import { root } from "../../scripts/run-bin.ts";

/** PID -> parent PID of every live (non-zombie) process. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const [state, ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (state !== "Z") table.set(Number(entry), Number(ppid));
    } catch {
      /* ended while we read */
    }
  }
  return table;
}

function descendants(pid: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of table) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

const alive = (pids: number[]) => {
  const table = processTable();
  return pids.filter((pid) => table.has(pid));
};

interface Mock {
  /** The process the test spawned: npm itself, or a shell that launched npm. */
  launcher: ChildProcess;
  npm: number;
  script: number;
  prism: number;
  /** Every process of the tree once the mock is ready (npm, the script, Prism and its children). */
  tree: number[];
  port: number;
  output: () => string;
}

/** Starts `npm run mock` in its own process group, as a shell job would be, and waits until it serves. */
async function startMock(viaShell = false): Promise<Mock> {
  const port = await findFreePort();
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  const npmArgs = ["run", "mock", "--", "--port", String(port)];
  const launcher = viaShell
    ? spawn("sh", ["-c", `npm ${npmArgs.join(" ")} & wait`], { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] })
    : spawn("npm", npmArgs, { cwd: root, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  launcher.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  launcher.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  for (let waited = 0; !output.includes("Ctrl-C stops it"); waited += 100) {
    if (launcher.exitCode !== null || waited > 90_000) throw new Error(`npm run mock did not start:\n${output}`);
    await sleep(100);
  }
  const prism = Number(/Prism \(pid (\d+)\)/.exec(output)?.[1]);
  const table = processTable();
  const npm = viaShell ? [...table].find(([, ppid]) => ppid === launcher.pid)![0] : launcher.pid!;
  const script = table.get(prism)!;
  const tree = [npm, ...descendants(npm)];
  return { launcher, npm, script, prism, tree, port, output: () => output };
}

/** Waits (bounded) until none of the tree is left, then checks the port can be bound at once. */
async function expectAllGone(mock: Mock): Promise<void> {
  for (let waited = 0; alive(mock.tree).length > 0 && waited < 30_000; waited += 100) await sleep(100);
  expect(alive(mock.tree), `left running: ${alive(mock.tree).join(", ")}\n${mock.output()}`).toEqual([]);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(mock.port, "127.0.0.1", resolve);
  });
  await new Promise((resolve) => server.close(resolve));
}

/** Whatever a test did, kill what is left of a tree so a failure cannot leave Prism behind. */
function cleanUp(mock: Mock): void {
  for (const pid of [...alive(mock.tree), mock.launcher.pid!]) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

describe("npm run mock stops with its whole process tree", () => {
  const cases: [string, (mock: Mock) => void, boolean?][] = [
    ["Ctrl-C (SIGINT to its process group)", (mock) => process.kill(-mock.launcher.pid!, "SIGINT")],
    ["SIGTERM to npm", (mock) => process.kill(mock.npm, "SIGTERM")],
    ["SIGKILL to npm (its child sees its parent die)", (mock) => process.kill(mock.npm, "SIGKILL")],
    ["SIGTERM to the script", (mock) => process.kill(mock.script, "SIGTERM")],
    ["SIGINT to the script", (mock) => process.kill(mock.script, "SIGINT")],
    ["SIGKILL to the shell that launched npm (npm's parent dies)", (mock) => process.kill(mock.launcher.pid!, "SIGKILL"), true],
  ];

  it.each(cases)("after %s", async (_name, stop, viaShell) => {
    const mock = await startMock(viaShell);
    try {
      expect(mock.tree).toEqual(expect.arrayContaining([mock.npm, mock.script, mock.prism]));
      stop(mock);
      await expectAllGone(mock);
    } finally {
      cleanUp(mock);
    }
  });

  it("logs nothing for its readiness probe", async () => {
    const mock = await startMock();
    try {
      await sleep(500); // let a probe's log line, if there were one, reach the pipe
      expect(mock.output()).toContain("Prism is listening");
      expect(mock.output()).not.toMatch(/error|NO_PATH_MATCHED|Request received/i);
    } finally {
      process.kill(-mock.launcher.pid!, "SIGINT");
      await expectAllGone(mock).finally(() => cleanUp(mock));
    }
  });
});
