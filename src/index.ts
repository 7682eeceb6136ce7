// Public API of the package: exports only.
export {
  createBackgroundTasksClient,
  type AkSkCredentials,
  type BackgroundTask,
  type BackgroundTasksClient,
  type BackgroundTasksClientOptions,
  type Credentials,
  type ErrorResponse,
  type ListBackgroundTasksArgs,
  type ListBackgroundTasksResponse,
  type PaginateBackgroundTasksArgs,
  type TokenCredentials,
} from "./client.js";
export { RESPONSE_TOO_LARGE } from "./body.js";
export { DmsApiError, DmsError, DmsNetworkError, DmsValidationError, INVALID_RESPONSE, type DmsApiErrorFields } from "./errors.js";
export { PAGINATION_STALLED } from "./paginate.js";
export { parseTaskParams } from "./response.js";
export type { RetryOptions } from "./retry.js";
export { toQueryTime, type QueryTimeInput } from "./time.js";
