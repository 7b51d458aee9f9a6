import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";

export const DEMO_PASSWORD = "demo1234";

export type Activation = { loginName: string; realName: string; code: string; school: string };

export function activations(): Activation[] {
  return JSON.parse(readFileSync(`${process.env.E2E_DATA_DIR ?? ".e2e-data"}/fixtures.json`, "utf8")).activations;
}

export async function signIn(page: Page, loginName: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  // By id: the page may be in Tibetan or Yi (the school's default language) after sign-in.
  await page.locator("#f-loginName").fill(loginName);
  await page.locator("#f-password").fill(password);
  await page.locator("form button.primary").click();
}

/** No serious or critical accessibility violation on the page as it stands. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`)).toEqual([]);
}

/** Nothing sticks out sideways: the page fits the viewport's width. */
export async function expectFitsWidth(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Checks the page at a phone's width (360 px), then goes back to the desktop width. */
export async function atPhoneWidth(page: Page) {
  await page.setViewportSize({ width: 360, height: 740 });
  await expectFitsWidth(page);
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** A tiny valid PDF whose bytes carry `text`. */
export const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`);

/** Types into the editor once the page has hydrated it, or into the plain textarea (`#f-<field>`) without it. */
export async function writeBody(page: Page, text: string, field = "body") {
  await page.waitForLoadState("networkidle");
  const editor = page.locator(".rich-editor-area");
  if (await editor.count()) {
    await editor.click();
    await page.keyboard.type(text);
  } else {
    await page.locator(`#f-${field}`).fill(text);
  }
}

/** Switches the page language from the header; on a phone the switcher sits in the header's menu, opened first. */
export async function chooseLanguage(page: Page, lng: string) {
  const button = page.locator(`.lang-switcher button[value="${lng}"]`);
  if (!(await button.isVisible())) await page.locator(".header-menu > summary").click();
  await button.click();
}
