/** get, progress, wait and delete: one task of an instance. */
import { DmsApiError, DmsTaskFailedError, DmsValidationError, type BackgroundTask, type BackgroundTaskProgress } from "../index.js";
import { stringFlag, type Values } from "./args.js";
import type { Context } from "./commands.js";
import { csvRow, localTime, oneLine, tableLine, taskSink } from "./format.js";
import { parseDuration } from "./time.js";
import { confirm, formatElapsed, StatusLine } from "./tty.js";
import { UsageError } from "./usage.js";

function ids(ctx: Context) {
  return { instanceId: ctx.args["instance-id"]!, taskId: ctx.args["task-id"]!, signal: ctx.signal };
}

function writeTask(ctx: Context, task: BackgroundTask): void {
  const sink = taskSink(ctx.format, ctx.out, false, 1);
  sink.add(task);
  sink.end();
}

export async function get(ctx: Context): Promise<number> {
  writeTask(ctx, await ctx.client.getBackgroundTask(ids(ctx)));
  return 0;
}

export async function progress(ctx: Context): Promise<number> {
  const p = await ctx.client.getBackgroundTaskProgress(ids(ctx));
  writeProgress(ctx, p);
  return 0;
}

function writeProgress(ctx: Context, p: BackgroundTaskProgress): void {
  // `status` is the step field's spelling before the SDKs renamed it `statue`.
  const steps = (p.step_list ?? []).map((s) => ({ ...s, statue: s.statue ?? (s as { status?: string }).status }));
  switch (ctx.format) {
    case "json":
      return ctx.out(JSON.stringify(p, null, 2) + "\n");
    case "ndjson":
      return ctx.out(JSON.stringify(p) + "\n");
    case "csv": {
      // One record a step, the task's figures repeated, so the file stays one flat table.
      ctx.out(csvRow(["progress_percentage", "remain_time", "name", "statue", "start_time", "end_time"]));
      const head = [p.progress_percentage, p.remain_time];
      if (steps.length === 0) ctx.out(csvRow([...head, "", "", "", ""]));
      for (const s of steps) ctx.out(csvRow([...head, s.name, s.statue, s.start_time, s.end_time]));
      return;
    }
    case "table": {
      ctx.out(`progress   ${p.progress_percentage === undefined ? "-" : `${p.progress_percentage}%`}\n`);
      ctx.out(`remaining  ${p.remain_time === undefined ? "-" : `${p.remain_time} (the API does not document the unit)`}\n`);
      if (steps.length === 0) return;
      const rows = steps.map((s) => [s.name ?? "", s.statue ?? "", localTime(s.start_time), localTime(s.end_time)].map(oneLine));
      const head = ["STEP", "STATUS", "STARTED", "ENDED"];
      const widths = head.map((h, i) => Math.min(40, Math.max(h.length, ...rows.map((r) => r[i]!.length))));
      ctx.out("\n" + tableLine(head, widths));
      for (const r of rows) ctx.out(tableLine(r, widths));
    }
  }
}

export async function remove(ctx: Context): Promise<number> {
  const { instanceId, taskId } = ids(ctx);
  if (ctx.values.yes !== true) {
    if (!ctx.term.stdin.isTTY || !ctx.term.stderr.isTTY) {
      throw new UsageError("delete: not on a terminal, so nothing to confirm with: add --yes to delete");
    }
    const question = `Delete task ${oneLine(taskId)} of instance ${oneLine(instanceId)}? [y/N] `;
    if (!(await confirm(ctx.term, question, ctx.signal, ctx.interrupt))) {
      ctx.term.stderr.write("not deleted\n");
      return 1;
    }
  }
  await ctx.client.deleteBackgroundTask(ids(ctx));
  ctx.term.stderr.write(`deleted task ${oneLine(taskId)}\n`);
  return 0;
}

/** Checks wait's flags before the client is built (so a bad one exits 2 with nothing sent). */
export function waitPlan(values: Values) {
  return {
    timeoutMs: parseDuration("--timeout", stringFlag(values, "timeout") ?? "30m"),
    intervalMs: parseDuration("--interval", stringFlag(values, "interval") ?? "10s"),
  };
}

export async function wait(ctx: Context): Promise<number> {
  const { timeoutMs, intervalMs } = waitPlan(ctx.values);
  const { instanceId, taskId } = ids(ctx);
  const started = performance.now();
  const tty = ctx.term.stderr.isTTY === true;
  const line = tty ? new StatusLine(ctx.term.stderr) : undefined;
  let polled = false;
  let finished = false; // a late progress answer must not redraw the line under the result
  let status: string | undefined;
  let percent: number | undefined;
  // Progress exists for Kafka and RocketMQ only: asked for on a terminal, dropped after a 4xx.
  let progressWanted = tty;
  let progressPending = false;
  const stopProgress = new AbortController();

  const show = () =>
    !finished &&
    line?.set(
      `task ${oneLine(taskId)}: ${polled ? oneLine(status ?? "(no status)") : "waiting for the first read"}` +
        `${percent === undefined ? "" : `, ${percent}%`}, ${formatElapsed(performance.now() - started)} elapsed`,
    );
  const askProgress = () => {
    if (!progressWanted || progressPending) return;
    progressPending = true;
    ctx.client
      .getBackgroundTaskProgress({ instanceId, taskId, signal: AbortSignal.any([ctx.signal, stopProgress.signal]) })
      .then(
        (p) => void (percent = p.progress_percentage ?? percent),
        (e) => void (e instanceof DmsApiError && e.status >= 400 && e.status < 500 && (progressWanted = false)),
      )
      .finally(() => {
        progressPending = false;
        show();
      });
  };
  const onPoll = (task: BackgroundTask) => {
    if (!tty && (!polled || task.status !== status)) ctx.term.stderr.write(`${new Date().toISOString()} ${oneLine(task.id)} ${oneLine(task.status ?? "(no status)")}\n`);
    polled = true;
    status = task.status;
    show();
    if (status !== "SUCCESS") askProgress();
  };
  show();
  const ticker = tty ? setInterval(show, 1000) : undefined;
  try {
    const task = await ctx.client.waitForBackgroundTask({ instanceId, taskId, timeoutMs, pollIntervalMs: intervalMs, signal: ctx.signal, onPoll });
    finished = true;
    line?.done();
    writeTask(ctx, task);
    return 0;
  } catch (e) {
    finished = true;
    line?.done();
    if (e instanceof DmsTaskFailedError) writeTask(ctx, e.task);
    // The wait's own bounds (the client's timeoutMs was checked when it was built).
    if (e instanceof DmsValidationError && (e.argument === "timeoutMs" || e.argument === "pollIntervalMs")) {
      throw new UsageError(`${e.argument === "timeoutMs" ? "--timeout" : "--interval"}: ${e.reason}`);
    }
    throw e;
  } finally {
    clearInterval(ticker);
    stopProgress.abort();
  }
}
