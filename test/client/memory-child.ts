/**
 * Run by bounded-body.test.ts in a child process of its own, so that its peak memory is the
 * client's alone: one warm-up call (module and fetch set-up), then one call against the hostile
 * reply. Prints one JSON line: the error's name, status and errorCode, the resident set size
 * before the call and the process's peak resident set size after it, in bytes.
 */
import { createBackgroundTasksClient, type DmsApiError } from "../../src/index.js";

const [url, cap] = process.argv.slice(2);
const peakRss = () => process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB

const client = createBackgroundTasksClient({
  endpoint: url!,
  projectId: "memory-child-project",
  credentials: { token: "memory-child-token-0123456789" },
  maxResponseBytes: Number(cap),
  retry: false,
});
await client.listBackgroundTasks({ instanceId: "warm-up" });
const rssBefore = process.memoryUsage().rss;
const error = (await client.listBackgroundTasks({ instanceId: "hostile" }).catch((e: unknown) => e)) as DmsApiError;
process.stdout.write(
  JSON.stringify({ name: error?.name, status: error?.status, errorCode: error?.errorCode, rssBefore, peakAfter: peakRss() }) + "\n",
);
