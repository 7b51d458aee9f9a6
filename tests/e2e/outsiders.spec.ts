// Minors first (issue 13): every kind of outsider opens a pupil's space, posts, portfolio, files and
// audit events, and is refused; the pupil's own teacher and school admin still see them. The pupil
// here, wuhou-voc.s2 (16, 成都, no other spec signs in as them), makes the content the outsiders try;
// wuhou-pri.s1 (under 14, consent given) stands for the youngest pupils through the seeded portfolio.
import { expect, test, type Browser, type Page } from "@playwright/test";
import sharp from "sharp";
import { DEMO_PASSWORD, signIn, writeBody } from "./support";

const PUPIL = "wuhou-voc.s2";
const PUPIL_HANDLE = "wuhou-voc-s2";
const YOUNG_HANDLE = "wuhou-pri-s1";
const NEW_PASSWORD = "outsiders-spec-2026";

/** People of other schools and of the regions above, signed in as each would be. */
const OUTSIDERS = [
  { who: "another school's teacher", login: "kangding-jun.t3" },
  { who: "another school's pupil", login: "zhaojue-voc.s2" },
  { who: "another school's parent", login: "zhaojue-voc.p1" },
  { who: "another school's admin (same county)", login: "wuhou-jun.admin" },
  { who: "the prefecture's admin", login: "chengdu.edu" },
  { who: "the province's admin", login: "sichuan.edu" },
  { who: "the platform admin", login: "platform" },
] as const;

type Made = { pupilName: string; youngName: string; urls: string[] };
let made: Made;

async function signedIn(browser: Browser, login: string, password?: string): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, login, password);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

test.describe.configure({ mode: "serial" });

test("the pupil makes a space with an avatar, a post and a portfolio item with a file", async ({ browser }) => {
  const pupil = await signedIn(browser, PUPIL);
  // Their own password change is an audit event with the pupil as actor and target.
  await pupil.goto("/account");
  await pupil.locator("#f-current").fill(DEMO_PASSWORD);
  await pupil.locator("#f-password").fill(NEW_PASSWORD);
  await pupil.locator("#f-confirm").fill(NEW_PASSWORD);
  await pupil.locator("form", { has: pupil.locator("#f-confirm") }).locator("button.primary").click();
  // This session stays; the others end.
  await expect(pupil.locator("#f-current")).toHaveValue("");

  await pupil.goto(`/u/${PUPIL_HANDLE}/edit`);
  const face = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#3a7bd5" } })
    .png()
    .toBuffer();
  await pupil.locator("#f-avatar").setInputFiles({ name: "me.png", mimeType: "image/png", buffer: face });
  await pupil.getByRole("button", { name: "保存" }).click();
  await expect(pupil).toHaveURL(`/u/${PUPIL_HANDLE}`);
  const pupilName = (await pupil.getByRole("heading", { level: 1 }).innerText()).trim();
  const avatar = await pupil.locator('img.avatar[src^="/files/"]').first().getAttribute("src");
  expect(avatar).toBeTruthy();

  await pupil.goto("/posts/new");
  await pupil.locator("#f-title").fill("我的实训日记");
  await writeBody(pupil, "今天练习了网线制作。");
  await pupil.locator('input[name="visibility"][value="school"]').check();
  await pupil.getByRole("button", { name: "发布", exact: true }).click();
  await expect(pupil).toHaveURL(/\/posts\/(?!new\b)[a-z0-9]+/);
  const post = new URL(pupil.url()).pathname;

  await pupil.goto("/portfolio/new");
  await pupil.locator("#f-title").fill("网线制作实训报告");
  await pupil.locator("#f-occurredOn").fill("2026-11-20");
  await writeBody(pupil, "按 T568B 线序。", "description");
  await pupil.getByRole("radio", { name: "本校" }).check();
  await pupil.locator("#f-files").setInputFiles({ name: "实训报告.txt", mimeType: "text/plain", buffer: Buffer.from("白橙 橙 白绿 蓝 白蓝 绿 白棕 棕\n") });
  await pupil.getByRole("button", { name: "添加", exact: true }).click();
  await expect(pupil).toHaveURL(/\/portfolio\/(?!new$)[a-z0-9]+(\?done=\w+)?$/);
  const item = new URL(pupil.url()).pathname;
  const file = await pupil.getByRole("link", { name: "实训报告.txt" }).getAttribute("href");
  expect(file).toBeTruthy();
  await pupil.context().close();

  // The youngest: a primary pupil's seeded portfolio, for her classes only.
  const young = await signedIn(browser, "wuhou-pri.s1");
  await young.goto(`/u/${YOUNG_HANDLE}`);
  const youngName = (await young.getByRole("heading", { level: 1 }).innerText()).trim();
  await young.goto(`/u/${YOUNG_HANDLE}/portfolio`);
  const youngItem = await young.getByRole("link", { name: "我的第一幅水彩画" }).getAttribute("href");
  await young.context().close();

  made = {
    pupilName,
    youngName,
    urls: [
      `/u/${PUPIL_HANDLE}`,
      `/u/${PUPIL_HANDLE}/blog`,
      `/u/${PUPIL_HANDLE}/portfolio`,
      post,
      item,
      avatar!,
      file!,
      `/u/${YOUNG_HANDLE}`,
      `/u/${YOUNG_HANDLE}/blog`,
      `/u/${YOUNG_HANDLE}/portfolio`,
      youngItem!,
    ],
  };
});

test("the pupil's own teacher and school admin still see the space, and the admin the pupil's audit events", async ({ browser }) => {
  const teacher = await signedIn(browser, "wuhou-voc.t1"); // auth.spec changes t2's password
  for (const url of made.urls.slice(0, 7)) expect((await teacher.request.get(url)).status(), url).toBe(200);
  await teacher.context().close();

  const admin = await signedIn(browser, "wuhou-voc.admin");
  await admin.goto(`/audit?who=${encodeURIComponent(PUPIL)}`);
  await expect(admin.locator("main")).toContainText(made.pupilName);
  await admin.context().close();
});

test("anonymous readers are asked to sign in for every one of them, and never see a pupil's name", async ({ request }) => {
  for (const url of made.urls) {
    const response = await request.get(url, { maxRedirects: 0 });
    expect([302, 404], url).toContain(response.status());
    const body = await response.text();
    expect(body, url).not.toContain(made.pupilName);
    expect(body, url).not.toContain(made.youngName);
  }
  const follow = await request.post(`/u/${PUPIL_HANDLE}`, { form: { intent: "follow" }, maxRedirects: 0 });
  expect([302, 403, 404]).toContain(follow.status());
});

for (const outsider of OUTSIDERS) {
  test(`${outsider.who} (${outsider.login}) opens none of a pupil's space, files or audit events`, async ({ browser }) => {
    const page = await signedIn(browser, outsider.login);
    for (const url of made.urls) {
      const response = await page.request.get(url);
      expect(response.status(), `${outsider.login} GET ${url}`).toBe(404);
      const body = await response.text();
      expect(body, url).not.toContain(made.pupilName);
      expect(body, url).not.toContain(made.youngName);
    }
    // Following a pupil from outside their school is refused, and the pupil hears nothing of it.
    const follow = await page.request.post(`/u/${PUPIL_HANDLE}`, { form: { intent: "follow" }, headers: { Origin: new URL(page.url()).origin } });
    expect(follow.status(), "follow").toBe(404);

    // The audit log, where the role has one: the pupil's events show no name and no login, and the
    // "who" filter finds nobody by a pupil's login.
    const audit = await page.request.get("/audit");
    if (audit.status() === 200) {
      const body = await audit.text();
      for (const secret of [made.pupilName, made.youngName, PUPIL, "wuhou-pri.s1"]) expect(body, `/audit shows ${secret}`).not.toContain(secret);
      const byLogin = await page.request.get(`/audit?who=${encodeURIComponent(PUPIL)}`);
      expect(await byLogin.text()).not.toContain(made.pupilName);
    }
    await page.context().close();
  });
}
