import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "soak/**/*.test.ts"],
    globalSetup: ["test/support/global-redis.ts", "test/support/global-postgres.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
