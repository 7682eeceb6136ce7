/**
 * Figure 3: iterate a dataset of N tasks (pages of 100) from the local server, in a fresh
 * process started with --expose-gc (one process per client and N, forked by run.ts).
 *
 *   ours      for await (const task of client.paginateBackgroundTasks({ instanceId, pageSize: 100 }))
 *   official  a hand-written loop over KafkaClient.listBackgroundTasks (start = 1, 101, 201, ...)
 *   fetch     the same loop over bare fetch + res.json(), unsigned: the floor
 *
 * Memory: after a warm-up pass and forced GCs, the baseline heapUsed/RSS is taken; during the
 * timed pass heapUsed and RSS are sampled after every page (peak growth = max - baseline,
 * including garbage not yet collected), and every `checkpointEvery` tasks (the same interval for
 * every N, so the peaks of a small and a large run cover equal GC windows) forced GCs measure the
 * live heap. The checkpoints' own time is subtracted from the elapsed time.
 */
import { performance } from "node:perf_hooks";
import { BENCH_PROJECT_ID, datasetInstance } from "./server.ts";
import { createOfficialClient, createOurClient, loadOfficial, runIfMain } from "./common.ts";

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
  /** max(rss) - baseline over the run, bytes. */
  peakRssGrowth: number;
  /** Live heap after a forced GC at each 10 % checkpoint, minus the baseline, bytes. */
  liveHeapGrowth: { tasks: number; bytes: number }[];
  /** Live heap after the run (forced GC) minus the baseline, bytes. */
  retainedHeapGrowth: number;
  baselineHeap: number;
  baselineRss: number;
  /** Heap per task when the warm-up's tasks are all kept in an array: the linear reference. */
  bytesPerTaskKept: number;
}

interface Task {
  id?: string;
}
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
      return async (instanceId, onTask) => {
        let start = 1;
        for (;;) {
          const page = await client.listBackgroundTasks(
            new kafka.ListBackgroundTasksRequest().withInstanceId(instanceId).withStart(start).withLimit(pageSize),
          );
          // The SDK returns the JSON body as is (snake_case), despite its typed model classes.
          const body = page as unknown as { task_count?: string; tasks?: Task[] };
          const tasks = body.tasks ?? [];
          for (const t of tasks) {
            const pause = onTask(t);
            if (pause) await pause;
          }
          start += tasks.length;
          if (tasks.length < pageSize || start > Number(body.task_count)) break;
        }
      };
    }
    case "fetch": {
      return async (instanceId, onTask) => {
        let start = 1;
        for (;;) {
          const res = await fetch(
            `${url}/v2/${BENCH_PROJECT_ID}/instances/${instanceId}/tasks?start=${start}&limit=${pageSize}`,
            { headers: { accept: "application/json" } },
          );
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const page = (await res.json()) as { task_count: string; tasks: Task[] };
          for (const t of page.tasks) {
            const pause = onTask(t);
            if (pause) await pause;
          }
          start += page.tasks.length;
          if (page.tasks.length < pageSize || start > Number(page.task_count)) break;
        }
      };
    }
  }
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
  let peakRss = base.rss;
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
      const m = process.memoryUsage();
      if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
      if (m.rss > peakRss) peakRss = m.rss;
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
    peakRssGrowth: peakRss - base.rss,
    liveHeapGrowth: live,
    retainedHeapGrowth: after.heapUsed - base.heapUsed,
    baselineHeap: base.heapUsed,
    baselineRss: base.rss,
    bytesPerTaskKept,
  };
}

/** One config (a fresh process per run, as run.ts does), or several in a row (the --quick smoke run). */
async function main(config: PaginationConfig | PaginationConfig[]): Promise<PaginationResult | PaginationResult[]> {
  if (!Array.isArray(config)) return measurePagination(config);
  const out: PaginationResult[] = [];
  for (const c of config) out.push(await measurePagination(c));
  return out;
}

runIfMain(import.meta.url, main);
