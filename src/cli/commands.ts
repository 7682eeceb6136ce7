/** The commands: each reads its flags, calls the library once (or pages) and writes the result. */
import type { BackgroundTasksClient, ListBackgroundTasksArgs } from "../index.js";
import { intFlag, stringFlag, type Values } from "./args.js";
import { taskSink, type Format, type Write } from "./format.js";
import { parseTime } from "./time.js";
import { StatusLine, type Terminal } from "./tty.js";
import { UsageError } from "./usage.js";

export interface Context {
  client: BackgroundTasksClient;
  args: Record<string, string>;
  values: Values;
  format: Format;
  term: Terminal;
  /** Aborted by Ctrl-C. */
  signal: AbortSignal;
  /** Called on Ctrl-C inside a prompt (where it is a key, not a signal). */
  interrupt: () => void;
  out: Write;
}

/** Checks list's flags before the client is built (so a bad one exits 2 with nothing sent). */
export function listPlan(values: Values, now: number) {
  const start = intFlag(values, "start");
  const limit = intFlag(values, "limit");
  const max = intFlag(values, "max");
  const all = values.all === true || max !== undefined;
  if (all && start !== undefined) throw new UsageError("--start cannot be combined with --all or --max (paging starts at 1)");
  const window: Pick<ListBackgroundTasksArgs, "beginTime" | "endTime"> = {};
  const since = stringFlag(values, "since");
  const until = stringFlag(values, "until");
  if (since !== undefined) window.beginTime = parseTime("--since", since, now);
  if (until !== undefined) window.endTime = parseTime("--until", until, now);
  return { start, limit, max, all, window };
}

export async function list(ctx: Context): Promise<number> {
  const { client, signal } = ctx;
  const instanceId = ctx.args["instance-id"]!;
  const plan = listPlan(ctx.values, Date.now());

  if (!plan.all) {
    const args: ListBackgroundTasksArgs = { instanceId, ...plan.window, signal };
    if (plan.start !== undefined) args.start = plan.start;
    if (plan.limit !== undefined) args.limit = plan.limit;
    const page = await client.listBackgroundTasks(args);
    const sink = taskSink(ctx.format, ctx.out, true, Math.max(1, page.tasks.length));
    for (const task of page.tasks) sink.add(task);
    sink.end();
    return 0;
  }

  const pageSize = plan.limit ?? 100;
  // Progress on a terminal only: "read N of task_count", the count from each page as it arrives.
  const status = ctx.term.stderr.isTTY ? new StatusLine(ctx.term.stderr) : undefined;
  let total: string | undefined;
  const tasks = client.paginateBackgroundTasks({
    instanceId,
    pageSize,
    ...plan.window,
    signal,
    ...(plan.max === undefined ? {} : { maxTasks: plan.max }),
    ...(status ? { onPage: (page: { task_count: string }) => void (total = page.task_count) } : {}),
  });
  let read = 0;
  const show = () => status?.set(`read ${read}${total === undefined ? "" : ` of ${total}`} tasks`);
  const out: Write = status
    ? (s) => {
        status.clear();
        ctx.out(s);
        show();
      }
    : ctx.out;
  const sink = taskSink(ctx.format, out, true, pageSize);
  show();
  for await (const task of tasks) {
    read++;
    sink.add(task);
    show();
  }
  sink.end();
  status?.done();
  return 0;
}
