/**
 * Each echoed form of a secret that redaction covers (base64 and base64url of the secret on
 * its own, every byte percent-encoded in either hex case, `\/`-escaped JSON, any letter case),
 * through both ways an echo reaches an error: a server's error body (DmsApiError) and what an
 * injected fetch throws (DmsNetworkError, with its cause chain). Every form is looked for in
 * the error's message, cause, stack, JSON.stringify and util.inspect.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { makeRedactor, secretForms } from "../../src/redact.js";
import { createBackgroundTasksClient, DmsApiError, DmsNetworkError, type Credentials } from "../../src/index.js";
import { useTestServer } from "./server.js";

// Each has a '/', lower- and upper-case letters and, as UTF-8, bytes encodeURIComponent keeps.
const TOKEN = "redaction/Token+with=Slash-0123456789";
const SK = "redaction/Secret-Key+0123456789abcdefXYZ";
const STS = "redaction/Security_Token~0123456789=/+";

const bytes = (s: string) => [...Buffer.from(s, "utf8")];
/** The echo forms this change adds, each a function of one secret. */
const FORMS: readonly [string, (s: string) => string][] = [
  ["base64", (s) => Buffer.from(s).toString("base64")],
  ["base64url", (s) => Buffer.from(s).toString("base64url")],
  ["every byte percent-encoded, upper-case hex", (s) => bytes(s).map((b) => "%" + b.toString(16).toUpperCase().padStart(2, "0")).join("")],
  ["every byte percent-encoded, lower-case hex", (s) => bytes(s).map((b) => "%" + b.toString(16).padStart(2, "0")).join("")],
  ["\\/-escaped JSON", (s) => JSON.stringify(s).slice(1, -1).replaceAll("/", "\\/")],
  ["upper-cased", (s) => s.toUpperCase()],
  ["lower-cased", (s) => s.toLowerCase()],
];
const KINDS: readonly [string, Credentials, string[]][] = [
  ["token", { token: TOKEN }, [TOKEN]],
  ["AK/SK with a security token", { accessKey: "REDACTIONTESTAK00001", secretKey: SK, securityToken: STS }, [SK, STS]],
];

const server = useTestServer();

/** Every place a caller, a logger or a test runner may print an error from. */
function views(err: unknown): Record<string, string> {
  const e = err as Error;
  return {
    message: e.message,
    cause: inspect(e.cause, { depth: 10 }) + String((e.cause as Error | undefined)?.message),
    stack: String(e.stack),
    json: JSON.stringify(e),
    inspect: inspect(e, { depth: 10 }),
  };
}

function expectRedacted(err: unknown, echoes: string[]): void {
  const all = views(err);
  for (const [where, text] of Object.entries(all)) {
    for (const echo of echoes) {
      expect(text.toLowerCase(), `${where} holds ${echo}`).not.toContain(echo.toLowerCase());
      // The part of a base64 form that depends on the secret alone (padding aside).
      expect(text.toLowerCase(), where).not.toContain(echo.replace(/=+$/, "").toLowerCase());
    }
  }
  expect(all.message).toContain("[REDACTED]"); // the echo really arrived
}

describe.each(KINDS)("echoed forms of a secret (%s)", (_, credentials, secrets) => {
  const client = (extra: object = {}) =>
    createBackgroundTasksClient({ endpoint: server.url, projectId: "proj", credentials, retry: false, ...extra });

  it.each(FORMS)("%s, in a server's error body (DmsApiError)", async (_, form) => {
    const echoes = secrets.map(form);
    server.setHandler(() => ({ status: 401, body: { error_code: "APIGW.0301", error_msg: `echo: ${echoes.join(" and ")}` } }));
    const err = await client().listBackgroundTasks({ instanceId: "inst" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmsApiError);
    expectRedacted(err, echoes);
  });

  it.each(FORMS)("%s, in a plain-text error body (the snippet)", async (_, form) => {
    const echoes = secrets.map(form);
    server.setHandler(() => ({ status: 403, body: `<html>forbidden for ${echoes.join(" ")}</html>` }));
    const err = await client().listBackgroundTasks({ instanceId: "inst" }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "DmsApiError", status: 403 });
    expectRedacted(err, echoes);
  });

  it.each(FORMS)("%s, in what an injected fetch throws and its cause (DmsNetworkError)", async (_, form) => {
    const echoes = secrets.map(form);
    const fetch = async (): Promise<Response> => {
      const inner = Object.assign(new Error(`socket hang up after ${echoes.join(" ")}`), { code: `ECONNRESET ${echoes[0]}` });
      throw new TypeError(`fetch failed: ${echoes.join(" ")}`, { cause: inner });
    };
    const err = await client({ fetch }).listBackgroundTasks({ instanceId: "inst" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DmsNetworkError);
    expectRedacted(err, echoes);
    expect(views(err).cause).toContain("[REDACTED]");
  });
});

describe("makeRedactor", () => {
  it("lists the covered forms of each secret", () => {
    const forms = secretForms("a/b+c");
    expect(forms).toEqual(["a/b+c", "a/b+c", "a\\/b+c", "a%2Fb%2Bc", "%61%2f%62%2b%63", "YS9iK2M", "YS9iK2M"]);
  });

  it("keeps ordinary text, and the access key", () => {
    const r = makeRedactor([SK]);
    expect(r("Access=REDACTIONTESTAK00001, instance not found")).toBe("Access=REDACTIONTESTAK00001, instance not found");
  });

  it("cannot catch an arbitrary transformation (documented): the secret inside a larger base64 blob", () => {
    const r = makeRedactor([TOKEN]);
    const blob = Buffer.from("user:" + TOKEN).toString("base64");
    expect(r(blob)).toBe(blob);
  });

  it("its margin is the longest form it may replace (at least a signature's 64 hex digits)", () => {
    expect(makeRedactor([]).margin).toBe(64);
    expect(makeRedactor([TOKEN]).margin).toBe(Buffer.byteLength(TOKEN) * 3); // every byte as %XX
  });
});
