import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium: Playwright cannot download its own browser on this network.
const executablePath = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
const port = Number(process.env.E2E_PORT ?? 3100);
export const baseURL = `http://localhost:${port}`;
// E2E_PORT and E2E_DATA_DIR let two runs share a machine; tests/e2e/support.ts reads the same folder.
const dataDir = process.env.E2E_DATA_DIR ?? ".e2e-data";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: process.env.E2E_OUTPUT_DIR ?? "test-results",
  // One worker: the tests share one server and its sign-in throttling counters.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  // Generous: CI shares two cores; a test that needs longer than this is stuck, not slow.
  timeout: 60_000,
  use: {
    baseURL,
    ...devices["Desktop Chrome"],
    locale: "zh-CN",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "node --import tsx tests/e2e/serve.ts",
    url: `${baseURL}/login`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { PORT: String(port), DATA_DIR: dataDir, NODE_ENV: "production", BUILD_DIR: process.env.BUILD_DIR ?? "build" },
  },
});
