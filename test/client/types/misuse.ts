/**
 * Each `@ts-expect-error` line below MUST fail to compile: tsc reports an unused directive
 * otherwise, and test/client/types.test.ts also compiles this file with the directives
 * stripped and checks every marked line errors.
 */
import { createBackgroundTasksClient } from "../../../src/index.js";

export async function misuse(): Promise<void> {
  const client = createBackgroundTasksClient({ region: "cn-north-4", projectId: "p", credentials: { token: "t" } });
  const page = await client.listBackgroundTasks({ instanceId: "i" });

  // @ts-expect-error a misspelled task field
  void page.tasks[0]?.idd;
  // @ts-expect-error task_count is a string on the wire, not a number
  void page.task_count.toFixed();
  // @ts-expect-error a misspelled argument
  void client.listBackgroundTasks({ instanceID: "i" });
  // @ts-expect-error start is a number
  void client.listBackgroundTasks({ instanceId: "i", start: "1" });
  // @ts-expect-error a time is a Date or a string
  void client.listBackgroundTasks({ instanceId: "i", beginTime: 1700000000000 });
  // @ts-expect-error AK/SK credentials need the secret key
  createBackgroundTasksClient({ region: "r", projectId: "p", credentials: { accessKey: "a" } });
  // @ts-expect-error projectId is required
  createBackgroundTasksClient({ region: "r", credentials: { token: "t" } });
  // @ts-expect-error taskId is required
  void client.getBackgroundTask({ instanceId: "i" });
  // @ts-expect-error the wire name task_id is not an option
  void client.deleteBackgroundTask({ instanceId: "i", task_id: "t" });
  // @ts-expect-error timeoutMs is a number
  void client.waitForBackgroundTask({ instanceId: "i", taskId: "t", timeoutMs: "60s" });
  // @ts-expect-error the step status is spelled statue on the wire
  void (await client.getBackgroundTaskProgress({ instanceId: "i", taskId: "t" })).step_list?.[0]?.status;
  for await (const task of client.paginateBackgroundTasks({ instanceId: "i" })) {
    // @ts-expect-error a misspelled field on a paginated task
    void task.stauts;
  }
}
