/**
 * Endpoint checks at client creation: the endpoint is an origin and nothing else. A path, a
 * query, a fragment (even empty ones) or user info is refused with a DmsValidationError naming
 * `endpoint`, and nothing is sent.
 */
import { describe, expect, it } from "vitest";
import { createBackgroundTasksClient, DmsValidationError } from "../../src/index.js";

const create = (endpoint: string | URL, fetch: () => Promise<Response>) =>
  createBackgroundTasksClient({ endpoint, projectId: "proj", credentials: { token: "endpoint-test-token-0123" }, fetch });

describe("endpoint forms", () => {
  it.each([
    ["a base path", "http://127.0.0.1:4010/v2", /no path/],
    ["a full operation URL", "https://dms.example.com/v2/proj/instances/inst/tasks", /no path/],
    ["a trailing path segment", "https://dms.example.com/proxy/", /no path/],
    ["a double slash", "https://dms.example.com//", /no path/],
    ["a query", "https://dms.example.com/?a=1", /query/],
    ["an empty query", "https://dms.example.com/?", /query/],
    ["a fragment", "https://dms.example.com/#top", /fragment/],
    ["an empty fragment", "https://dms.example.com#", /fragment/],
    ["user info", "https://user:pass@dms.example.com", /user info/],
    ["a user name alone", "https://user@dms.example.com", /user info/],
    ["a path in a URL object", new URL("https://dms.example.com/v2"), /no path/],
  ])("refuses %s: %s", (_, endpoint, why) => {
    let sent = 0;
    const fetch = async () => (sent++, new Response("{}"));
    let thrown: unknown;
    try {
      create(endpoint, fetch);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DmsValidationError);
    expect(thrown).toMatchObject({ argument: "endpoint", reason: expect.stringMatching(why) });
    expect(sent).toBe(0);
  });

  it.each(["https://dms.example.com", "https://dms.example.com/", "http://127.0.0.1:4010", new URL("https://dms.example.com:8443")])(
    "accepts the origin %s",
    (endpoint) => {
      expect(() => create(endpoint, async () => new Response("{}"))).not.toThrow();
    },
  );
});
