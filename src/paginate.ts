/**
 * Page walking for paginateBackgroundTasks.
 *
 * `start` is a 1-based position and advances by the number of tasks received. The list is
 * newest first, so a task created during the iteration is inserted at the head and shifts
 * every later task one position further: the next page then starts with the last tasks of the
 * page just read. Those re-shown tasks are exactly the ones a shift can repeat, so the dedup
 * remembers only the ids of the previous page (plus the current one while it is read) and
 * memory stays bounded by one page. No old task is skipped, because a shift only moves tasks
 * later, never earlier.
 *
 * Limit of that choice: it absorbs a shift of up to one page between two consecutive requests
 * (more than `pageSize` new tasks during one round trip, 100 by default, is not a realistic
 * rate for an instance's admin tasks). A larger burst could re-show tasks from older pages,
 * which bounded memory cannot recognise. Deleting tasks during the iteration moves later tasks
 * earlier, so one may be skipped: inherent to position-based paging.
 *
 * Deletions can also leave `start` past the end of the list. The server may then answer an
 * empty page (the end, as usual) or refuse the position with a 400 (probably `DMS.00400062`,
 * "Invalid {0} parameter", as Terraform documents for sibling APIs paging by offset; the code
 * is not relied on). A 400 on a later page is taken as the end only when one more request
 * (`start=1&limit=1`, same time window) confirms that the list now holds fewer than `start`
 * tasks; otherwise that 400 is thrown. So a real error is never silently swallowed, and the
 * extra request is made only on this rare path.
 *
 * Progress or stop: a full page that yields no task not yet yielded (a server that ignores
 * `start` and repeats a page, or pages of one duplicated id) counts as a stalled page. After
 * MAX_STALLED_PAGES of them in a row the iteration throws a DmsApiError with errorCode
 * PAGINATION_STALLED, so a misbehaving server costs a bounded number of requests, never a
 * silent endless loop. (New tasks arriving between two requests can legitimately re-show a
 * whole page, so a few stalled pages in a row are tolerated: that many full pages of new tasks
 * per round trip, several times running, is not a realistic rate for admin tasks.) A page longer than the `limit` asked
 * for is refused as InvalidResponse by the body check (response.ts).
 */
import type { SchemaBackgroundTask, SchemaListBackgroundTasksResponse } from "../generated/schema.js";
import { DmsApiError } from "./errors.js";

/** `errorCode` of the DmsApiError thrown when pages stop bringing new tasks. */
export const PAGINATION_STALLED = "PaginationStalled";
/** Full pages in a row that add no new task before the iteration gives up. */
export const MAX_STALLED_PAGES = 4;

export type FetchPage = (start: number, limit: number) => Promise<SchemaListBackgroundTasksResponse>;

export async function* paginate(
  fetchPage: FetchPage,
  pageSize: number,
  maxTasks: number,
  signal?: AbortSignal,
  onPage?: (page: SchemaListBackgroundTasksResponse) => unknown,
): AsyncGenerator<SchemaBackgroundTask, void, undefined> {
  let start = 1;
  let yielded = 0;
  let previousIds = new Set<string>();
  let stalled = 0;
  for (;;) {
    const limit = Math.min(pageSize, maxTasks - yielded);
    let page: SchemaListBackgroundTasksResponse;
    try {
      page = await fetchPage(start, limit);
    } catch (e) {
      if (start > 1 && (await endedBefore(fetchPage, start, e, signal))) return;
      throw e;
    }
    onPage?.(page);
    const tasks = page.tasks;
    const pageIds = new Set<string>();
    const yieldedBefore = yielded;
    for (const task of tasks) {
      if (pageIds.has(task.id)) continue; // listed twice in one page
      pageIds.add(task.id); // re-shown ones too: the next shift may re-show them again
      if (previousIds.has(task.id)) continue; // re-shown by a shift
      yield task;
      if (++yielded >= maxTasks) return;
      signal?.throwIfAborted(); // the consumer may abort mid-page: stop at once
    }
    start += tasks.length;
    // A short (or empty) page is the last one; so is reaching task_count (read from the latest
    // page, since it grows when tasks are added during the iteration).
    if (tasks.length < limit || start - 1 >= Number(page.task_count)) return;
    stalled = yielded === yieldedBefore ? stalled + 1 : 0;
    if (stalled >= MAX_STALLED_PAGES) {
      throw new DmsApiError({
        status: 200,
        errorCode: PAGINATION_STALLED,
        errorMsg: `${stalled} full pages in a row (up to start=${start - 1}) brought no task not yet seen; the server does not advance`,
      });
    }
    previousIds = pageIds;
  }
}

/**
 * Whether `error`, the failure of a page request at `start` > 1, means the list now ends
 * before `start`: it is a 400 and the list's current task_count is below `start`.
 */
async function endedBefore(fetchPage: FetchPage, start: number, error: unknown, signal?: AbortSignal): Promise<boolean> {
  if (!(error instanceof DmsApiError) || error.status !== 400) return false;
  try {
    const probe = await fetchPage(1, 1);
    return start - 1 >= Number(probe.task_count);
  } catch (probeError) {
    if (signal?.aborted) throw probeError; // the caller's abort wins, as everywhere else
    return false; // otherwise the original 400 is the error reported
  }
}
