/**
 * Setup of the "client on fetch" test project: the client's default transport becomes
 * `globalThis.fetch`, read when the client is created (as the default was before src/transport.ts),
 * so the whole client suite also runs on the fetch path.
 */
import { vi } from "vitest";

vi.mock("../../src/transport.js", async (original) => ({
  ...(await original<typeof import("../../src/transport.js")>()),
  get defaultTransport() {
    return globalThis.fetch;
  },
  // fetch needs a real Request.
  TransportRequest: globalThis.Request,
}));
