/**
 * Error handling of bounded cost: text from a response is cut before it is redacted (so the
 * work does not grow with the body), a cut never leaves part of a secret behind, and an error
 * body that cannot be serialised (deeply nested JSON) still yields a DmsApiError with its
 * status, sent once when the status is not retryable.
 */
import { describe, expect, it } from "vitest";
import { apiErrorFromBody, makeRedactor, redactedPrefix, snippet, type Redact } from "../../src/redact.js";
import { createBackgroundTasksClient, DmsApiError } from "../../src/index.js";
import { useTestServer } from "./server.js";

const TOKEN = "error-body-token/0123456789+ABCDEF";
const server = useTestServer();

const client = (retry: object | false = false) =>
  createBackgroundTasksClient({ endpoint: server.url, projectId: "proj", credentials: { token: TOKEN }, retry: retry as false });

/** A redactor that records the length of every string it is given. */
function spyRedactor(secrets: string[]): { redact: Redact; lengths: number[] } {
  const r = makeRedactor(secrets);
  const lengths: number[] = [];
  return { redact: Object.assign((s: string) => (lengths.push(s.length), r(s)), { margin: r.margin }), lengths };
}

describe("a deeply nested JSON error body", () => {
  const nestedArray = "[".repeat(5000) + "]".repeat(5000);
  const nestedObject = '{"a":'.repeat(5000) + "1" + "}".repeat(5000);

  it.each([
    ["arrays", nestedArray],
    ["objects", nestedObject],
  ])("5,000 levels of %s: a DmsApiError with the real status 400, exactly one request", async (_, body) => {
    server.setHandler(() => ({ status: 400, headers: { "Content-Type": "application/json" }, body }));
    const err = await client({ maxAttempts: 3, baseDelayMs: 0 }).listBackgroundTasks({ instanceId: "inst" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmsApiError);
    expect(err).toMatchObject({ status: 400 });
    expect((err as DmsApiError).bodySnippet).toMatch(/nested too deeply/);
    expect(server.requests).toHaveLength(1);
  });

  it("on a retryable status (503) it is retried as a 503, and the status is kept", async () => {
    server.setHandler(() => ({ status: 503, headers: { "Content-Type": "application/json" }, body: nestedArray }));
    const err = await client({ maxAttempts: 2, baseDelayMs: 0 }).listBackgroundTasks({ instanceId: "inst" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DmsApiError", status: 503 });
    expect(server.requests).toHaveLength(2);
  });
});

describe("cut first, then redact", () => {
  const big = "x".repeat(10_000_000);

  it("a huge error_msg, request id or snippet costs the redactor a bounded window, not the body", () => {
    const { redact, lengths } = spyRedactor([TOKEN]);
    const headers = new Headers({ "X-Request-Id": "r".repeat(100_000) });
    const e = apiErrorFromBody(400, headers, { error_code: big, error_msg: big, encoded_authorization_message: big }, redact);
    expect(e.status).toBe(400);
    expect(e.errorMsg).toHaveLength(2048 + 1); // cut, with an ellipsis
    expect(Math.max(...lengths)).toBeLessThanOrEqual(8192 + redact.margin);
    lengths.length = 0;
    expect(snippet(big, redact)).toHaveLength(201);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(4 * (200 + redact.margin));
    lengths.length = 0;
    apiErrorFromBody(502, new Headers(), big, redact); // an HTML or text body
    expect(Math.max(...lengths)).toBeLessThanOrEqual(4 * (200 + redact.margin));
  });

  it("a secret (in any covered form) split by the cut leaves no part of itself behind", () => {
    const r = makeRedactor([TOKEN]);
    const forms = [TOKEN, encodeURIComponent(TOKEN), Buffer.from(TOKEN).toString("base64")];
    for (const form of forms) {
      for (let at = 0; at < 200 + r.margin + 10; at++) {
        const text = "~".repeat(at) + form + "~".repeat(50_000);
        for (const out of [redactedPrefix(text, 200, r), snippet(text, r)]) {
          expect(out, `${form} at ${at}`).not.toContain(form.slice(0, 4));
        }
      }
    }
  });

  it("text shorter than the window is redacted whole and cut after redaction", () => {
    const r = makeRedactor([TOKEN]);
    expect(redactedPrefix(`a ${TOKEN} b`, 200, r)).toBe("a [REDACTED] b");
    expect(redactedPrefix("abcdef", 3, r)).toBe("abc…");
    expect(snippet(`  <p>\n ${TOKEN}\t</p> `, r)).toBe("<p> [REDACTED] </p>");
  });
});
