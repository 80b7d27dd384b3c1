import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Fetches the embedded model once (cached in ./.octo/models) for the local model's smoke test.
    globalSetup: ["test/support/local-model.global.ts"],
    // Tests must not see a developer's real tokens or database and accidentally use them.
    env: { OCTO_LOG_LEVEL: "silent" },
  },
});
