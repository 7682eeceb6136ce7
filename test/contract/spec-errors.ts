/**
 * The error responses the bundle declares for the operation, each with its example's
 * error_code: the expectations of the tests that check the mock (or the client against it)
 * answers every declared error with its example.
 */
import { loadBundle, type OpenAPIV3 } from "../spec/load-bundle.js";

export const TASKS_PATH = "/v2/{project_id}/instances/{instance_id}/tasks";

/** `[status, error_code]` of each declared non-2xx response, in the bundle's order. */
export async function declaredErrorCodes(): Promise<[number, string][]> {
  const responses = (await loadBundle()).paths[TASKS_PATH]!.get!.responses as Record<string, OpenAPIV3.ResponseObject>;
  return Object.entries(responses)
    .filter(([status]) => !status.startsWith("2"))
    .map(([status, response]) => {
      const example = response.content?.["application/json"]?.example as { error_code?: unknown } | undefined;
      if (typeof example?.error_code !== "string") throw new Error(`the ${status} response has no example error_code`);
      return [Number(status), example.error_code];
    });
}
