// Starts the built app on a fresh temporary demo database, for the benchmark and screenshot scripts.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "@playwright/test";

export async function startDemoServer(port: number) {
  const server = spawn("node", ["--import", "tsx", "tests/e2e/serve.ts"], {
    env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(join(tmpdir(), "rrt-demo-")), NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("serving on") && resolve());
    server.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  return { base: `http://localhost:${port}`, stop: () => server.kill() };
}

/**
 * A fontconfig file that hides every Tibetan and Yi system font (Debian's fonts-noto-core has both),
 * so Chromium behaves like a phone without them: local() misses and the page's web fonts load.
 */
function fontconfigWithoutTibetanYi() {
  const file = join(mkdtempSync(join(tmpdir(), "rrt-fonts-")), "fonts.conf");
  const reject = ["Noto Serif Tibetan", "Noto Sans Tibetan", "Noto Sans Yi", "Jomolhari", "Tibetan Machine Uni", "Nuosu SIL"]
    .map((family) => `<pattern><patelt name="family"><string>${family}</string></patelt></pattern>`)
    .join("");
  writeFileSync(
    file,
    `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><selectfont><rejectfont>${reject}</rejectfont></selectfont></fontconfig>`,
  );
  return file;
}

export function launchChromium({ withoutTibetanYiFonts = false } = {}) {
  return chromium.launch({
    env: withoutTibetanYiFonts ? { ...process.env, FONTCONFIG_FILE: fontconfigWithoutTibetanYi() } : undefined,
    executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function signInAs(page: Page, base: string, loginName: string, password = "demo1234") {
  await page.goto(`${base}/login`);
  await page.locator("#f-loginName").fill(loginName);
  await page.locator("#f-password").fill(password);
  await page.locator("form button.primary").click();
  await page.waitForURL(`${base}/`);
}

/** How the benchmarks find pages whose ids are random: the first matching link once signed in. */
export function pagePaths(base: string) {
  /** The first link matching `selector` on `listPath`, as a path. */
  const firstLink = (listPath: string, selector: string) => async (page: Page) => {
    await page.goto(base + listPath);
    const href = await page.locator(selector).first().getAttribute("href");
    if (!href) throw new Error(`no ${selector} on ${listPath}`);
    return new URL(href, base).pathname;
  };
  /** A seeded group's page (the first group in the person's directory), then a link on it. */
  const firstGroup = firstLink("/groups", "a[href^='/groups/']:not([href='/groups/new'])");
  const inFirstGroup = (suffix: string, selector?: string) => async (page: Page) => {
    const group = await firstGroup(page);
    return selector ? firstLink(group + suffix, selector)(page) : group + suffix;
  };
  const firstThread = inFirstGroup("", "a[href*='/threads/']:not([href$='/new'])");
  /** A pupil's hand-in page for their first assignment. */
  const handIn = async (page: Page) => `${await firstLink("/assignments", "a[href^='/assignments/']:not([href$='/new'])")(page)}/submit`;
  return { firstLink, inFirstGroup, firstThread, handIn };
}
