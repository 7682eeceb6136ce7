/** The --help texts. */
import type { Command } from "./args.js";

const GLOBAL_FLAGS = `Global flags:
  --region <id>         region, e.g. cn-north-4 (env DMS_TASKS_REGION)
  --endpoint <url>      base URL, overrides the region (env DMS_TASKS_ENDPOINT);
                        http: only to a loopback address, e.g. http://127.0.0.1:4010
  --project-id <id>     project ID (env HUAWEICLOUD_SDK_PROJECT_ID)
  --timeout-ms <n>      time limit of one HTTP attempt (default 60000)
  --retries <n>         retries of a failed read (default 2; 0 = none)
  --token-stdin         read an IAM token from stdin
  -o, --output <fmt>    table, json, ndjson or csv (default: table on a terminal, json otherwise)
  --debug               stack traces and the resolved configuration (never a secret) on stderr
  -h, --help            this help;  -V, --version  the version

Credentials (environment only, never flags): an IAM token from --token-stdin or
DMS_TASKS_TOKEN, else AK/SK from HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK and, for temporary
credentials, HUAWEICLOUD_SDK_SECURITY_TOKEN.

Exit codes: 0 success, 1 API or network error, 2 usage or validation error (nothing sent),
3 wait: the task ended FAILED, CANCELLED or DELETED, 4 wait: timed out, 130 interrupted.`;

const MAIN = `dms-tasks: list, inspect, wait for and delete Huawei Cloud DMS background tasks

Usage: dms-tasks <command> [arguments] [flags]

Commands:
  list <instance-id>               tasks of an instance, one page or all of them
  get <instance-id> <task-id>      one task
  progress <instance-id> <task-id> progress percentage, remaining time and steps (Kafka, RocketMQ)
  wait <instance-id> <task-id>     wait until the task ends
  delete <instance-id> <task-id>   delete a task

Run dms-tasks <command> --help for its flags.

${GLOBAL_FLAGS}`;

const TIME_FORMS = `Times (--since, --until): ISO 8601 with a zone (2026-11-27T08:00:00Z), the API's
YYYYMMDDHHmmss in UTC (20261127080000), or a duration ago (90m, 24h, 7d).`;

const COMMAND_HELP: Record<Command, string> = {
  list: `Usage: dms-tasks list <instance-id> [flags]

Lists the background tasks of an instance, newest first.

  --start <n>       1-based position of the first task (one page only)
  --limit <n>       tasks per request, 1 to 100 (server default 10; with --all, 100)
  --all             every page; rows are written as pages arrive
  --max <n>         stop after n tasks (implies --all)
  --since <time>    tasks created at or after this time
  --until <time>    tasks created at or before this time

${TIME_FORMS}
On a terminal, stderr shows how many tasks were read out of task_count.`,
  get: `Usage: dms-tasks get <instance-id> <task-id> [flags]

Shows one task.`,
  progress: `Usage: dms-tasks progress <instance-id> <task-id> [flags]

Shows a task's progress: percentage, remaining time (unit not documented by the API)
and the steps with their status and times. Kafka and RocketMQ instances only.`,
  wait: `Usage: dms-tasks wait <instance-id> <task-id> [--timeout 30m] [--interval 10s] [flags]

Polls the task until it ends, then prints it. Exit 0 on SUCCESS, 3 on FAILED, CANCELLED or
DELETED, 4 when --timeout passes first.

  --timeout <duration>   give up after this long (default 30m)
  --interval <duration>  time between polls (default 10s)

Durations: a number and a unit (ms, s, m, h, d), e.g. 30m, 10s, 1h30m.
On a terminal, stderr shows a live line with the status, the progress percentage (Kafka,
RocketMQ) and the time elapsed; otherwise one line per status change.`,
  delete: `Usage: dms-tasks delete <instance-id> <task-id> [--yes] [flags]

Deletes a task. On a terminal it asks first; without a terminal it refuses unless --yes.

  -y, --yes   do not ask`,
};

export function helpText(command: Command | undefined): string {
  return command === undefined ? MAIN : `${COMMAND_HELP[command]}\n\n${GLOBAL_FLAGS}`;
}
