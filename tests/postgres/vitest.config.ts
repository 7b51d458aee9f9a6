// Tests that restart the PostgreSQL cluster under a running app: run alone (npm run test:postgres), after
// the integration suite, so that no other test's queries meet the restart.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL("../..", import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: { "~": `${root}app`, "#db": `${root}db` } },
  test: { include: ["tests/postgres/**/*.test.ts"], setupFiles: ["tests/setup-db.ts"], pool: "forks", testTimeout: 60_000, hookTimeout: 60_000 },
});
