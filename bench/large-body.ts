/**
 * Figure: the time and peak memory one call spends on a 200 MB response body, ours vs the
 * official SDK. Standalone: `npx tsx bench/large-body.ts` (needs a compiled dist/), or call
 * `measureLargeBody()` from a runner.
 *
 * A node:http server in this process answers every request with 200 MB, written only as fast
 * as the client reads it, in two shapes:
 *   declared  with `Content-Length: 209715200` (ours refuses before reading)
 *   chunked   with no length (ours reads up to maxResponseBytes, 8 MiB by default, then cuts)
 * Each sample is one call in a fresh child process (forked with tsx, like the other figures),
 * after a warm-up call: elapsed time from the call to its outcome, and peak RSS growth (peak RSS
 * after the call minus RSS before it). Rounds alternate the clients.
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { createOfficialClient, createOurClient, loadOfficial, rotate, runChild, runIfMain } from "./common.ts";

export const LARGE_BODY_CLIENTS = ["ours", "official"] as const;
export type LargeBodyClient = (typeof LARGE_BODY_CLIENTS)[number];
export const LARGE_BODY_SHAPES = ["declared", "chunked"] as const;
export type LargeBodyShape = (typeof LARGE_BODY_SHAPES)[number];

export const LARGE_BODY_BYTES = 200 * 1024 * 1024;

export interface LargeBodySample {
  client: LargeBodyClient;
  shape: LargeBodyShape;
  elapsedMs: number;
  /** Peak RSS after the call minus RSS before it, bytes. */
  peakRssGrowth: number;
  /** Body bytes the server had written when the connection closed (or the body ended). */
  bytesSent: number;
  /** How the call ended: the error's name and errorCode, or "resolved". */
  outcome: string;
}

export interface LargeBodyResult {
  bodyBytes: number;
  rounds: number;
  samples: LargeBodySample[];
  /** Median per client and shape. */
  medians: { client: LargeBodyClient; shape: LargeBodyShape; elapsedMs: number; peakRssGrowth: number; bytesSent: number; outcome: string }[];
}

interface ChildConfig {
  url: string;
  client: LargeBodyClient;
  shape: LargeBodyShape;
}
type ChildResult = Omit<LargeBodySample, "bytesSent">;

/** The instance id of the measured call says which shape to send. */
const instanceFor = (shape: LargeBodyShape) => `large-${shape}`;

// ---------------------------------------------------------------------------------------------
// The child: one warm-up call (a small page), then the measured call.

const peakRss = () => process.resourceUsage().maxRSS * 1024; // the peak RSS so far; maxRSS is in KiB

async function oneCall(config: ChildConfig): Promise<ChildResult> {
  const url = config.url;
  let call: (instanceId: string) => Promise<unknown>;
  if (config.client === "ours") {
    const client = await createOurClient(url);
    call = (instanceId) => client.listBackgroundTasks({ instanceId });
  } else {
    const { kafka } = loadOfficial();
    const client = createOfficialClient(url);
    call = (instanceId) => client.listBackgroundTasks(new kafka.ListBackgroundTasksRequest().withInstanceId(instanceId));
  }
  await call("warm-up");
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const outcome = await call(instanceFor(config.shape)).then(
    () => "resolved",
    (e: unknown) => {
      const err = e as { name?: string; errorCode?: string; message?: string } | undefined;
      return [err?.name, err?.errorCode ?? String(err?.message ?? "").slice(0, 60)].filter(Boolean).join(" ");
    },
  );
  const elapsedMs = performance.now() - t0;
  return { client: config.client, shape: config.shape, elapsedMs, peakRssGrowth: peakRss() - rssBefore, outcome };
}

// ---------------------------------------------------------------------------------------------
// The parent: the server, the rounds, the medians.

const SMALL_PAGE = JSON.stringify({ task_count: "0", tasks: [] });
const FILLER = Buffer.alloc(64 * 1024, "x");

/** Serves SMALL_PAGE to the warm-up and 200 MB to the measured call; records bytes written. */
async function startLargeBodyServer(): Promise<{ url: string; lastBytes: () => Promise<number>; close: () => Promise<void> }> {
  let last: Promise<number> = Promise.resolve(0);
  const server = createServer((req, res) => {
    req.resume();
    const shape = LARGE_BODY_SHAPES.find((s) => req.url?.includes(`/instances/${instanceFor(s)}/`));
    if (shape === undefined) {
      res.writeHead(200, { "Content-Type": "application/json" }).end(SMALL_PAGE);
      return;
    }
    const chunked = shape === "chunked";
    res.writeHead(200, { "Content-Type": "application/json", ...(chunked ? {} : { "Content-Length": String(LARGE_BODY_BYTES) }) });
    last = pump(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lastBytes: () => last,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Writes LARGE_BODY_BYTES at the reader's pace; resolves with the bytes written when the response closes. */
function pump(res: ServerResponse): Promise<number> {
  let sent = 0;
  const step = () => {
    while (sent < LARGE_BODY_BYTES && !res.destroyed) {
      sent += FILLER.length;
      if (!res.write(FILLER)) return void res.once("drain", step);
    }
    if (!res.destroyed) res.end();
  };
  step();
  return new Promise((resolve) => res.on("close", () => resolve(sent)));
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function measureLargeBody(options: { rounds?: number } = {}): Promise<LargeBodyResult> {
  const rounds = options.rounds ?? 3;
  const server = await startLargeBodyServer();
  const samples: LargeBodySample[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      for (const shape of LARGE_BODY_SHAPES) {
        for (const client of rotate(LARGE_BODY_CLIENTS, round)) {
          const r = await runChild<ChildResult>("large-body.ts", { url: server.url, client, shape } satisfies ChildConfig, {
            timeoutMs: 5 * 60_000,
          });
          samples.push({ ...r, bytesSent: await server.lastBytes() });
        }
      }
    }
  } finally {
    await server.close();
  }
  const medians = LARGE_BODY_SHAPES.flatMap((shape) =>
    LARGE_BODY_CLIENTS.map((client) => {
      const mine = samples.filter((s) => s.client === client && s.shape === shape);
      return {
        client,
        shape,
        elapsedMs: median(mine.map((s) => s.elapsedMs)),
        peakRssGrowth: median(mine.map((s) => s.peakRssGrowth)),
        bytesSent: median(mine.map((s) => s.bytesSent)),
        outcome: mine[0]!.outcome,
      };
    }),
  );
  return { bodyBytes: LARGE_BODY_BYTES, rounds, samples, medians };
}

function printTable(result: LargeBodyResult): void {
  const MiB = 1024 * 1024;
  console.error(`A ${result.bodyBytes / MiB} MiB body, median of ${result.rounds} rounds (one child process per call):`);
  console.error("| body | client | time | peak RSS growth | bytes the server sent | outcome |");
  console.error("| --- | --- | --- | --- | --- | --- |");
  for (const m of result.medians) {
    console.error(
      `| ${m.shape} | ${m.client} | ${m.elapsedMs.toFixed(1)} ms | ${(m.peakRssGrowth / MiB).toFixed(1)} MiB | ` +
        `${(m.bytesSent / MiB).toFixed(1)} MiB | ${m.outcome} |`,
    );
  }
}

runIfMain<Partial<ChildConfig> & { rounds?: number }, unknown>(import.meta.url, async (config) => {
  if (config.client && config.url && config.shape) return oneCall(config as ChildConfig);
  const result = await measureLargeBody(config.rounds === undefined ? {} : { rounds: config.rounds });
  printTable(result);
  return result.medians;
});
