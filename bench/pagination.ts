/**
 * Figure 4: iterate a dataset of N tasks (pages of 100) from the bench server, in a fresh
 * process (--expose-gc) per client and N: `ours` is `for await` over paginateBackgroundTasks;
 * `official` a `start += tasks.length` loop over KafkaClient.listBackgroundTasks; `fetch` the
 * same loop over bare unsigned fetch.
 *
 * Memory: after a warm-up pass and forced GCs the baseline heapUsed is taken; heapUsed is sampled
 * after every page (peak growth, garbage included), and every `checkpointEvery` tasks (the same
 * for every N) forced GCs measure the live heap; their time is not counted.
 */
import { performance } from "node:perf_hooks";
import { BENCH_PROJECT_ID, datasetInstance } from "./server.ts";
import { createOfficialClient, createOurClient, loadOfficial, rotate, runChild, runIfMain } from "./common.ts";
import { ratioBar, spread, table, type Figure } from "./figure.ts";
import { fmt, fmtBytes, pairedRatios, summarize } from "./stats.ts";

export const PAGINATION_CLIENTS = ["ours", "official", "fetch"] as const;
export type PaginationClient = (typeof PAGINATION_CLIENTS)[number];

export interface PaginationConfig {
  url: string;
  client: PaginationClient;
  tasks: number;
  pageSize: number;
  warmupTasks: number;
  /** Forced-GC live-heap checkpoint every this many tasks (the same for every N). */
  checkpointEvery: number;
}

export interface PaginationResult {
  client: PaginationClient;
  tasks: number;
  elapsedMs: number;
  tasksPerSec: number;
  /** max(heapUsed) - baseline over the run, bytes (garbage included). */
  peakHeapGrowth: number;
  /** Live heap after a forced GC at each 10 % checkpoint, minus the baseline, bytes. */
  liveHeapGrowth: { tasks: number; bytes: number }[];
  /** Live heap after the run (forced GC) minus the baseline, bytes. */
  retainedHeapGrowth: number;
  /** Heap per task when the warm-up's tasks are all kept in an array: the linear reference. */
  bytesPerTaskKept: number;
}

type Task = { id?: string };
/** `onTask` returns a promise only at a memory checkpoint; the loop awaits it then. */
type OnTask = (t: Task) => Promise<void> | undefined | void;
type Iterate = (instanceId: string, onTask: OnTask) => Promise<void>;

async function makeIterator(config: PaginationConfig): Promise<Iterate> {
  const { url, pageSize } = config;
  switch (config.client) {
    case "ours": {
      const client = await createOurClient(url);
      return async (instanceId, onTask) => {
        for await (const task of client.paginateBackgroundTasks({ instanceId, pageSize })) {
          const pause = onTask(task);
          if (pause) await pause;
        }
      };
    }
    case "official": {
      const client = createOfficialClient(url);
      const { kafka } = loadOfficial();
      const request = (instanceId: string, start: number) =>
        new kafka.ListBackgroundTasksRequest().withInstanceId(instanceId).withStart(start).withLimit(pageSize);
      return loop(async (instanceId, start) => (await client.listBackgroundTasks(request(instanceId, start))) as unknown as Page, pageSize);
    }
    case "fetch":
      return loop(async (instanceId, start) => {
        const res = await fetch(`${url}/v2/${BENCH_PROJECT_ID}/instances/${instanceId}/tasks?start=${start}&limit=${pageSize}`, {
          headers: { accept: "application/json" },
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        return (await res.json()) as Page;
      }, pageSize);
  }
}

type Page = { task_count?: string; tasks?: Task[] };

/** The hand-written `start += tasks.length` loop the official and bare-fetch clients need. */
function loop(page: (instanceId: string, start: number) => Promise<Page>, pageSize: number): Iterate {
  return async (instanceId, onTask) => {
    for (let start = 1; ; ) {
      const body = await page(instanceId, start);
      const tasks = body.tasks ?? [];
      for (const t of tasks) {
        const pause = onTask(t);
        if (pause) await pause;
      }
      start += tasks.length;
      if (tasks.length < pageSize || start > Number(body.task_count)) return;
    }
  };
}

/** Two full GCs with a turn of the event loop between (FinalizationRegistry cleanups run). */
async function settle(gc: () => void): Promise<void> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}

export async function measurePagination(config: PaginationConfig): Promise<PaginationResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  const iterate = await makeIterator(config);

  // Warm-up: JIT, sockets, lazy modules, V8's first heap growth. It keeps the tasks it sees,
  // which measures the linear reference: what a loop that retained every task would grow by.
  let kept: Task[] = [];
  await iterate(datasetInstance(config.warmupTasks), (task) => {
    kept.push(task);
  });
  if (kept.length !== config.warmupTasks) throw new Error(`warm-up saw ${kept.length} of ${config.warmupTasks} tasks`);
  await settle(gc);
  const withKept = process.memoryUsage().heapUsed;
  kept = [];
  await settle(gc);
  const base = process.memoryUsage();
  const bytesPerTaskKept = (withKept - base.heapUsed) / config.warmupTasks;
  let peakHeap = base.heapUsed;
  const live: { tasks: number; bytes: number }[] = [];
  let pausedMs = 0;
  let count = 0;
  let checksum = 0;

  const checkpoint = async (): Promise<void> => {
    const g0 = performance.now();
    await settle(gc);
    live.push({ tasks: count, bytes: process.memoryUsage().heapUsed - base.heapUsed });
    pausedMs += performance.now() - g0;
  };

  const t0 = performance.now();
  await iterate(datasetInstance(config.tasks), (task) => {
    count++;
    checksum += task.id!.length;
    if (count % config.pageSize === 0) {
      const heap = process.memoryUsage().heapUsed;
      if (heap > peakHeap) peakHeap = heap;
      // Same absolute interval for every N, so peaks are compared over equal windows.
      if (count % config.checkpointEvery === 0) return checkpoint();
    }
    return undefined;
  });
  const elapsedMs = performance.now() - t0 - pausedMs;

  if (count !== config.tasks || checksum !== count * 32) {
    throw new Error(`${config.client}: saw ${count} tasks (checksum ${checksum}), expected ${config.tasks}`);
  }
  await settle(gc);
  const after = process.memoryUsage();
  return {
    client: config.client,
    tasks: count,
    elapsedMs,
    tasksPerSec: (count * 1000) / elapsedMs,
    peakHeapGrowth: peakHeap - base.heapUsed,
    liveHeapGrowth: live,
    retainedHeapGrowth: after.heapUsed - base.heapUsed,
    bytesPerTaskKept,
  };
}

/** One config (a fresh process per run, as run.ts does), or several in a row (the --quick smoke run). */
runIfMain(import.meta.url, async (config: PaginationConfig | PaginationConfig[]) => {
  if (!Array.isArray(config)) return measurePagination(config);
  const out: PaginationResult[] = [];
  for (const c of config) out.push(await measurePagination(c)); // --quick: several in a row
  return out;
});

// ---------------------------------------------------------------------------------------------
// As a figure of the runner.

/** Live-heap growth allowed between the small and the large run (bounded ≠ per task). */
const FLAT_MAX_DELTA = 1024 * 1024;

export const figure: Figure<PaginationResult[]> = {
  id: "pagination",
  usesDist: true,
  async run(ctx) {
    const url = await ctx.serverUrl();
    const { sizes, rounds, warmupTasks, checkpointEvery } = ctx.quick
      ? { sizes: [300, 1_000], rounds: 1, warmupTasks: 100, checkpointEvery: 300 }
      : { sizes: [10_000, 100_000], rounds: 3, warmupTasks: 10_000, checkpointEvery: 10_000 };
    const configs: PaginationConfig[] = [];
    let k = 0;
    for (let r = 0; r < rounds; r++) {
      for (const tasks of sizes) {
        for (const client of rotate(PAGINATION_CLIENTS, k++)) configs.push({ url, client, tasks, pageSize: 100, warmupTasks, checkpointEvery });
      }
    }
    const flags = { nodeFlags: ["--expose-gc"] };
    // Smoke run: all in one process, to stay fast. Otherwise a fresh heap per run.
    if (ctx.quick) return runChild<PaginationResult[]>("pagination.ts", configs, flags);
    const results: PaginationResult[] = [];
    for (const [i, c] of configs.entries()) {
      ctx.step(`pagination ${i + 1}/${configs.length}: ${c.client}, ${c.tasks.toLocaleString("en-US")} tasks`);
      results.push(await runChild<PaginationResult>("pagination.ts", c, flags));
    }
    return results;
  },
  report(all) {
    const sizes = [...new Set(all.map((r) => r.tasks))].sort((a, b) => a - b);
    const [small, large] = [sizes[0]!, sizes[sizes.length - 1]!];
    const runs = (client: string, tasks: number) => all.filter((r) => r.client === client && r.tasks === tasks);
    const med = (client: string, tasks: number, f: (r: PaginationResult) => number): number => summarize(runs(client, tasks).map(f)).median;
    const maxLive = (r: PaginationResult): number => Math.max(0, ...r.liveHeapGrowth.map((l) => l.bytes));
    const perTask = (client: string): number[] => runs(client, large).map((r) => r.elapsedMs / r.tasks);
    const peak = (client: string): number[] => runs(client, large).map((r) => r.peakHeapGrowth);
    const g = `4 · Pagination, ${large.toLocaleString("en-US")} tasks`;
    const vsFetch = ratioBar(g, "time per task: ours / bare fetch loop", pairedRatios(perTask("ours"), perTask("fetch")), 1);
    // Flat = what stays alive does not scale with the number of tasks: live heap (after forced GC)
    // at the large size minus at the small size, against what keeping the extra tasks would take.
    const delta = (client: string): number => med(client, large, maxLive) - med(client, small, maxLive);
    const keptPerTask = summarize(all.map((r) => r.bytesPerTaskKept)).median;
    const keptBytes = keptPerTask * (large - small);
    const signed = (b: number): string => (b >= 0 ? "+" : "") + fmtBytes(b);
    const tps = (client: string): string => fmt(med(client, large, (r) => r.tasksPerSec));
    const memory = (client: string): string =>
      `${fmtBytes(med(client, small, (r) => r.peakHeapGrowth))} → ${fmtBytes(med(client, large, (r) => r.peakHeapGrowth))}; ` +
      `${fmtBytes(med(client, small, maxLive))} → ${fmtBytes(med(client, large, maxLive))}`;
    return {
      bars: [
        ratioBar(g, "time per task: ours / official", pairedRatios(perTask("ours"), perTask("official"))),
        vsFetch,
        ratioBar(g, "peak heap growth: ours / bare fetch loop", pairedRatios(peak("ours"), peak("fetch"))),
        { group: g, label: `live heap ${small / 1000}k→${large / 1000}k tasks / tasks kept`, ratio: Math.max(0, delta("ours")) / keptBytes, target: FLAT_MAX_DELTA / keptBytes },
      ],
      targets: [
        { figure: "Pagination", target: "throughput ≥ the bare fetch loop's (time per task ratio ≤ 1)", value: fmt(vsFetch.median), met: vsFetch.median <= 1 },
        {
          figure: "Pagination",
          target: `memory flat: live heap grows ≤ ${fmtBytes(FLAT_MAX_DELTA)} from ${small / 1000}k to ${large / 1000}k tasks (keeping them would take ${fmtBytes(keptBytes)})`,
          value: `${signed(delta("ours"))} (${fmt(delta("ours") / (large - small))} B/task; bare fetch loop ${signed(delta("fetch"))})`,
          met: delta("ours") <= FLAT_MAX_DELTA,
        },
      ],
      summary: [
        [`Pagination, ${large.toLocaleString("en-US")} tasks (tasks/s)`, tps("ours"), tps("official"), tps("fetch"), `${fmt(1 / vsFetch.median)}× the bare fetch loop's throughput`],
        [`Pagination memory, ${small / 1000}k → ${large / 1000}k tasks: peak heap growth; live heap growth`, memory("ours"), memory("official"), memory("fetch"), "flat"],
      ],
      section: [
        "## 4. Pagination at scale",
        "",
        "Iterating a generated dataset in pages of 100 tasks, one fresh process (`--expose-gc`) per client and size, " +
          `interleaved, ${runs("ours", small).length} rounds. \`ours\` is \`for await (const task of client.paginateBackgroundTasks(...))\`; ` +
          "`official` is a `start += tasks.length` loop over `KafkaClient.listBackgroundTasks`; `fetch` is the same loop over " +
          "bare unsigned `fetch`. heapUsed is sampled after every page (peak growth includes garbage); forced GCs every " +
          `${all[0]?.liveHeapGrowth[0]?.tasks.toLocaleString("en-US")} tasks measure the live heap (their pauses are not timed). ` +
          `Keeping the tasks would take ${fmt(keptPerTask)} bytes per task (measured in each run's warm-up).`,
        "",
        table(
          ["Client", "Tasks", "tasks/s, median (p25–p75)", "peak heap growth", "max live heap growth", "retained after run"],
          sizes.flatMap((tasks) =>
            PAGINATION_CLIENTS.filter((c) => runs(c, tasks).length).map((c) => [
              c,
              tasks.toLocaleString("en-US"),
              spread(runs(c, tasks).map((r) => r.tasksPerSec)),
              fmtBytes(med(c, tasks, (r) => r.peakHeapGrowth)),
              fmtBytes(med(c, tasks, maxLive)),
              fmtBytes(med(c, tasks, (r) => r.retainedHeapGrowth)),
            ]),
          ),
        ),
      ],
    };
  },
};
