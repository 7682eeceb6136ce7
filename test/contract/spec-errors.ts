/**
 * The error responses the bundle declares for an operation, each with its example's
 * error_code: the expectations of the tests that check the mock (or the client against it)
 * answers every declared error with its example.
 */
import { findOperation, type OperationId } from "./schemas.ts";

export const TASKS_PATH = "/v2/{project_id}/instances/{instance_id}/tasks";

/** `[status, error_code]` of each declared non-2xx response of `operationId`, in the bundle's order. */
export async function declaredErrorCodes(operationId: OperationId = "listBackgroundTasks"): Promise<[number, string][]> {
  const { op } = await findOperation(operationId);
  return Object.entries(op.responses as Record<string, { content?: Record<string, { example?: unknown }> }>)
    .filter(([status]) => !status.startsWith("2"))
    .map(([status, response]) => {
      const example = response.content?.["application/json"]?.example as { error_code?: unknown } | undefined;
      if (typeof example?.error_code !== "string") throw new Error(`the ${status} response of ${operationId} has no example error_code`);
      return [Number(status), example.error_code];
    });
}
