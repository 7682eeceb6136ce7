import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        // Everything that needs no mock server: spec fidelity, docs in a browser, signer, client.
        test: {
          name: "unit",
          include: ["test/{spec,docs,auth,client}/**/*.test.ts"],
          testTimeout: 20_000,
        },
      },
      {
        // The client suite again, with globalThis.fetch as the default transport instead of
        // src/transport.ts: both paths must behave alike.
        test: {
          name: "client-on-fetch",
          include: ["test/client/**/*.test.ts"],
          // node-transport compares the two itself; types is a compile-time check, no transport.
          exclude: [...configDefaults.exclude, "test/client/node-transport.test.ts", "test/client/types.test.ts"],
          env: { DMS_TEST_TRANSPORT: "fetch" },
          setupFiles: ["test/client/fetch-transport.setup.ts"],
          testTimeout: 20_000,
        },
      },
      {
        // Consumers of the bundle: Prism-backed contract tests and other-language generators.
        test: {
          name: "contract",
          include: ["test/contract/**/*.test.ts"],
          globalSetup: ["test/contract/prism-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The packed package installed and used as a consumer would (npm pack, installs, tsc).
        test: {
          name: "package",
          include: ["test/package/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
      {
        // The built dms-tasks command (dist/cli/main.js), spawned as a user would run it: against
        // local node:http servers, the Prism mock (its own instance) and, under tmux, a real terminal.
        test: {
          name: "cli",
          include: ["test/cli/**/*.test.ts"],
          globalSetup: ["test/contract/prism-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
