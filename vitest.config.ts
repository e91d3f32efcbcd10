import { defineConfig } from "vitest/config"

// Workspace packages resolve to their TypeScript sources through this export condition.
const conditions = ["@commerce-core/source", "import", "module", "node", "default"]

const shared = {
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["@commerce-core/source"] } },
}

export default defineConfig({
  test: {
    projects: [
      {
        ...shared,
        test: {
          name: "unit",
          include: ["packages/*/test/**/*.test.ts", "examples/test/**/*.test.ts"],
          exclude: ["**/*.integration.test.ts", "**/node_modules/**"],
        },
      },
      {
        ...shared,
        test: {
          name: "integration",
          include: ["packages/*/test/**/*.integration.test.ts", "examples/test/**/*.integration.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
