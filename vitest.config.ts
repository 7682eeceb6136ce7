import { defineConfig } from "vitest/config";

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
