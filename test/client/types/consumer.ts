/**
 * A consumer of the public API, type-checked by test/client/types.test.ts (and by
 * `npm run typecheck`). It must compile: the generated types flow through the wrapper.
 */
import type { components } from "../../../generated/schema.js";
import {
  createBackgroundTasksClient,
  DmsApiError,
  DmsValidationError,
  parseTaskParams,
  toQueryTime,
  DmsError,
  DmsTaskFailedError,
  DmsWaitTimeoutError,
  type BackgroundTask,
  type BackgroundTaskProgress,
  type BackgroundTaskStep,
  type BackgroundTasksClient,
  type ListBackgroundTasksResponse,
} from "../../../src/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

// The public types are the generated ones, not look-alikes.
export const sameResponse: Equal<ListBackgroundTasksResponse, components["schemas"]["ListBackgroundTasksResponse"]> = true;
export const sameTask: Equal<BackgroundTask, components["schemas"]["BackgroundTask"]> = true;
export const listReturns: Equal<
  Awaited<ReturnType<BackgroundTasksClient["listBackgroundTasks"]>>,
  components["schemas"]["ListBackgroundTasksResponse"]
> = true;

export const sameProgress: Equal<BackgroundTaskProgress, components["schemas"]["ShowBackgroundTaskProgressResponse"]> = true;
export const sameStep: Equal<BackgroundTaskStep, components["schemas"]["StepDetail"]> = true;
export const getReturns: Equal<Awaited<ReturnType<BackgroundTasksClient["getBackgroundTask"]>>, BackgroundTask> = true;
export const waitReturns: Equal<Awaited<ReturnType<BackgroundTasksClient["waitForBackgroundTask"]>>, BackgroundTask> = true;
export const deleteReturns: Equal<Awaited<ReturnType<BackgroundTasksClient["deleteBackgroundTask"]>>, undefined> = true;

export async function lifecycle(client: BackgroundTasksClient): Promise<void> {
  const ids = { instanceId: "i", taskId: "t" };
  const task: BackgroundTask = await client.getBackgroundTask({ ...ids, signal: AbortSignal.timeout(1000) });
  const progress = await client.getBackgroundTaskProgress(ids);
  const percent: number | undefined = progress.progress_percentage;
  const started: number | null | undefined = progress.step_list?.[0]?.start_time;
  const statue: string | undefined = progress.step_list?.[0]?.statue;
  await client.deleteBackgroundTask(ids);
  try {
    const done: BackgroundTask = await client.waitForBackgroundTask({
      ...ids,
      timeoutMs: 60_000,
      pollIntervalMs: 1000,
      onPoll: (t) => void t.status,
    });
    void done;
  } catch (e) {
    if (e instanceof DmsTaskFailedError) {
      const failed: BackgroundTask = e.task;
      const status: string = e.status;
      void [failed, status];
    } else if (e instanceof DmsWaitTimeoutError) {
      const last: string | undefined = e.lastStatus;
      const seen: BackgroundTask | undefined = e.task;
      void [last, seen];
    }
    const base: boolean = e instanceof DmsError;
    void base;
  }
  void [task, percent, started, statue];
}

export async function consumer(): Promise<void> {
  const client = createBackgroundTasksClient({
    region: "cn-north-4",
    projectId: "0123456789abcdef0123456789abcdef",
    credentials: { accessKey: "AK", secretKey: "SK" },
    retry: { maxAttempts: 5 },
  });
  createBackgroundTasksClient({ endpoint: new URL("https://x"), projectId: "p", credentials: { token: "t" }, retry: false });

  const page = await client.listBackgroundTasks({
    instanceId: "i",
    start: 1,
    limit: 100,
    beginTime: new Date(),
    endTime: toQueryTime(new Date()),
    signal: AbortSignal.timeout(1000),
  });
  const count: string = page.task_count;
  const id: string | undefined = page.tasks[0]?.id;
  const params: string | undefined = page.tasks[0]?.params;
  void [count, id, params];

  for await (const task of client.paginateBackgroundTasks({ instanceId: "i", pageSize: 50, maxTasks: 10 })) {
    const id: string = task.id;
    const status: string | undefined = task.status;
    const decoded: unknown = parseTaskParams(task);
    void [id, status, decoded];
  }

  try {
    await client.listBackgroundTasks({ instanceId: "i" });
  } catch (e) {
    if (e instanceof DmsApiError) {
      const s: number = e.status;
      const c: string | undefined = e.errorCode;
      const r: string | undefined = e.requestId;
      const m: string | undefined = e.encodedAuthorizationMessage;
      void [s, c, r, m, e.errorMsg];
    } else if (e instanceof DmsValidationError) {
      const a: string = e.argument;
      void a;
    }
  }
}
