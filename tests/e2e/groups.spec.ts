import { expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import sharp from "sharp";
import { atPhoneWidth, expectAccessible, expectFitsWidth, signIn } from "./support";

// One group made here by kangding-jun.t1 (Tibetan default) for the schools of 甘孜: found by a
// Tibetan substring from another school of 甘孜, refused beyond it, joined by request, invitation,
// left. The people are ones other specs leave alone; the tests run in order on the shared server.
test.describe.configure({ mode: "serial" });

type Lng = "zh-Hans" | "bo" | "ii" | "en";
const dictionaries = new Map<string, Record<string, unknown>>();
/** The groups namespace's text in a language, with {{placeholders}} filled. */
function tr(lng: Lng, key: string, params: Record<string, string> = {}, ns = "groups"): string {
  if (!dictionaries.has(`${lng}/${ns}`)) dictionaries.set(`${lng}/${ns}`, JSON.parse(readFileSync(`locales/${lng}/${ns}.json`, "utf8")));
  const value = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], dictionaries.get(`${lng}/${ns}`));
  return String(value).replace(/\{\{(\w+)\}\}/g, (_, name: string) => params[name] ?? "");
}

const SUFFIX = Date.now().toString(36).slice(-4);
// "Kham mathematics study group": the search below uses "རྩིས་རིག" (mathematics) from its middle.
const GROUP_NAME = `ཁམས་ཀྱི་རྩིས་རིག་སློབ་སྦྱོང་ཚོགས་ཆུང་ ${SUFFIX}`;
let groupPath = "";

async function signOut(page: Page) {
  await page.locator(".site-header form[action='/logout'] button").click();
  await expect(page).toHaveURL(/\/login/);
}

async function checkPage(page: Page) {
  await expectAccessible(page);
  await atPhoneWidth(page);
}

test("a teacher in 甘孜 (Tibetan) makes a study group for 甘孜; a 500-character name is refused with the other fields kept", async ({ page }) => {
  await signIn(page, "kangding-jun.t1");
  await page.goto("/groups");
  await expect(page.getByRole("heading", { level: 1, name: tr("bo", "directory.title") })).toBeVisible();
  await page.getByRole("link", { name: tr("bo", "directory.newGroup") }).click();
  await expect(page).toHaveURL("/groups/new");
  await checkPage(page);

  await page.locator("#f-name").fill("ཀ".repeat(500));
  await page.locator("#f-subject").fill("རྩིས་རིག");
  await page.locator("#f-description").fill("ཁམས་ཀྱི་སློབ་གྲྭ་ཁག་གི་སློབ་མ་མཉམ་དུ་རྩིས་རིག་སྦྱོང་།");
  await page.locator("#f-kind").selectOption("study");
  await page.locator("#f-reach").selectOption("region");
  // The region choice appears once reach is "region" (CSS only): the prefecture, not the county.
  await expect(page.locator("#f-regionId")).toBeVisible();
  await page.locator("#f-regionId").selectOption({ label: "甘孜藏族自治州" });
  await page.locator("#f-joinPolicy").selectOption("approval");
  await page.getByRole("button", { name: tr("bo", "form.create") }).click();
  await expect(page.locator("#f-name-error")).toHaveText(tr("bo", "nameTooLong"));
  await expect(page.locator("#f-name")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator("#f-subject")).toHaveValue("རྩིས་རིག");
  await expect(page.locator("#f-description")).toHaveValue("ཁམས་ཀྱི་སློབ་གྲྭ་ཁག་གི་སློབ་མ་མཉམ་དུ་རྩིས་རིག་སྦྱོང་།");
  await expect(page.locator("#f-reach")).toHaveValue("region");
  await expect(page.locator("#f-regionId option:checked")).toHaveText("甘孜藏族自治州");
  await expect(page.locator("#f-joinPolicy")).toHaveValue("approval");
  await expectAccessible(page);

  await page.locator("#f-name").fill(GROUP_NAME);
  const cover = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#8a3324" } }).png().toBuffer();
  await page.locator("#f-cover").setInputFiles({ name: "cover.png", mimeType: "image/png", buffer: cover });
  await page.getByRole("button", { name: tr("bo", "form.create") }).click();
  await expect(page).toHaveURL(/\/groups\/[a-z0-9]+$/);
  groupPath = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: GROUP_NAME })).toBeVisible();
  const head = page.locator(".group-head");
  await expect(head).toContainText(tr("bo", "kinds.study"));
  await expect(head).toContainText(tr("bo", "reachIn", { reach: tr("bo", "reaches.region"), region: "甘孜藏族自治州" }));
  await expect(head).toContainText("康定市民族中学");
  await expect(head).toContainText(tr("bo", "page.youAre", { role: tr("bo", "roles.owner") }));
  await expect.poll(() => head.locator("img.cover").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(300);
  const tabs = page.getByRole("navigation", { name: tr("bo", "page.tabs") });
  for (const tab of ["discussion", "library", "tasks", "members"]) await expect(tabs.getByRole("link", { name: tr("bo", `page.${tab}`) })).toBeVisible();
  await checkPage(page);

  await page.goto("/groups");
  await expect(page.locator(".group-cards").first().getByRole("link", { name: GROUP_NAME })).toBeVisible();
});

test("a teacher in 成都 does not find it (beyond its reach) and cannot open it", async ({ page }) => {
  await signIn(page, "wuhou-jun.t3");
  await page.goto(`/groups?q=${encodeURIComponent("རྩིས་རིག")}`);
  await expect(page.getByText(tr("zh-Hans", "directory.none"))).toBeVisible();
  await expect(page.getByRole("link", { name: GROUP_NAME })).toHaveCount(0);
  const response = await page.goto(groupPath);
  expect(response?.status()).toBe(404);
});

test("a teacher of another school of 甘孜 finds it by a Tibetan substring and asks to join; the owner approves on the members page", async ({ page }) => {
  await signIn(page, "garze-voc.t1");
  await page.goto("/groups");
  await page.getByRole("searchbox").fill("རྩིས་རིག");
  await page.locator("#f-kind").selectOption("study");
  await page.getByRole("button", { name: tr("bo", "directory.find") }).click();
  await expect(page).toHaveURL(/q=/);
  const results = page.getByRole("list", { name: tr("bo", "directory.results") });
  await expect(results.getByRole("link", { name: GROUP_NAME })).toBeVisible();
  await checkPage(page);
  await results.getByRole("link", { name: GROUP_NAME }).click();

  // Not a member: the head and the way in, and in the discussion's place how to get in (issue 16 item 7).
  await expect(page.getByRole("heading", { name: tr("bo", "gate.title") })).toBeVisible();
  await expect(page.getByText(tr("bo", "gate.joinAsk"))).toBeVisible();
  await page.locator("#f-note").fill("ང་ཡང་རྩིས་རིག་གི་དགེ་རྒན་ཡིན།");
  await page.getByRole("button", { name: tr("bo", "page.ask") }).click();
  await expect(page.getByText(tr("bo", "page.requestPending"))).toBeVisible();
  await expect(page.getByRole("button", { name: tr("bo", "page.cancelRequest") })).toBeVisible();
  await page.goto("/groups");
  await expect(page.locator(".group-cards").getByRole("link", { name: GROUP_NAME }).first()).toBeVisible();
  await signOut(page);

  await signIn(page, "kangding-jun.t1");
  await page.goto(`${groupPath}/members`);
  const requests = page.locator("section", { has: page.getByRole("heading", { name: tr("bo", "members.requests") }) });
  await expect(requests).toContainText("ང་ཡང་རྩིས་རིག་གི་དགེ་རྒན་ཡིན།");
  await expect(requests).toContainText("甘孜州职业技术学校");
  await checkPage(page);
  await requests.getByRole("button", { name: new RegExp(`^${tr("bo", "members.approve")}`) }).click();
  await expect(page.getByText(tr("bo", "members.noRequests"))).toBeVisible();
  const members = page.locator("section", { has: page.getByRole("heading", { name: tr("bo", "members.title"), exact: true }) });
  await expect(members.locator(".member-list > li")).toHaveCount(2);
  await expect(members).toContainText("甘孜州职业技术学校");
  await signOut(page);

  await signIn(page, "garze-voc.t1");
  await page.goto(`${groupPath}/members`);
  await expect(page.locator(".member-list > li")).toHaveCount(2);
  await expect(page.locator(".member-list")).toContainText("康定市民族中学");
  // A teacher in a study group helps lead it: they answer requests too.
  await expect(page.getByRole("heading", { name: tr("bo", "members.requests") })).toBeVisible();
  await expect(page.getByText(tr("bo", "page.youAre", { role: tr("bo", "roles.member") }))).toBeVisible();
});

test("invitees are picked from people the moderator may see, never by login name; a student of the school accepts one, then leaves", async ({ page }) => {
  await signIn(page, "kangding-jun.t1");
  await page.goto(`${groupPath}/members`);
  await expect(page.locator("#f-loginName")).toHaveCount(0);
  // A pupil of a school in 凉山 (beyond reach, in no group with the moderator) is not found by name.
  await page.locator("#f-invite-q").fill("木乃阿木");
  await page.getByRole("button", { name: tr("bo", "members.search"), exact: true }).click();
  await expect(page).toHaveURL(/\/members\?q=/);
  await expect(page.getByText(tr("bo", "members.noCandidates"))).toBeVisible();

  // A student of the moderator's own school is, by a fragment of the name; picked, then invited.
  await page.locator("#f-invite-q").fill("降措");
  await page.getByRole("button", { name: tr("bo", "members.search"), exact: true }).click();
  await page.getByRole("checkbox", { name: /贡布降措/ }).check();
  await checkPage(page);
  await page.getByRole("button", { name: tr("bo", "members.sendInvite") }).click();
  await expect(page.locator(".notice[role=status]")).toContainText(tr("bo", "members.inviteSent", { n: "1" }));
  const pending = page.locator("section", { has: page.getByRole("heading", { name: tr("bo", "members.invite") }) });
  await expect(pending.locator(".member-list:not(.invite-candidates) > li")).toHaveCount(1);
  await signOut(page);

  await signIn(page, "kangding-jun.s5");
  await page.goto("/groups");
  const invitations = page.locator(".group-cards").first();
  await expect(invitations.getByRole("link", { name: GROUP_NAME })).toBeVisible();
  await checkPage(page);
  await invitations.getByRole("button", { name: `${tr("bo", "directory.accept")} ${GROUP_NAME}` }).click();
  await expect(page).toHaveURL("/groups");
  await expect(page.getByRole("heading", { name: tr("bo", "directory.invitations") })).toHaveCount(0);
  await page.getByRole("link", { name: GROUP_NAME }).first().click();
  await expect(page.getByText(tr("bo", "page.youAre", { role: tr("bo", "roles.member") }))).toBeVisible();
  await page.getByRole("button", { name: tr("bo", "page.leave") }).click();
  // Leaving asks first: the question names the group, and nothing changed yet.
  await expect(page).toHaveURL(/\?confirm=leave$/);
  await expect(page.getByRole("heading", { name: tr("bo", "confirm.leave.heading", {}, "common") })).toBeVisible();
  await page.getByRole("button", { name: tr("bo", "confirm.leave.button", {}, "common") }).click();
  await expect(page.getByText(tr("bo", "noLongerMember"))).toBeVisible();
  await expect(page.getByRole("button", { name: tr("bo", "page.ask") })).toBeVisible();
  await page.goto("/groups");
  await expect(page.getByText(tr("bo", "directory.noneMine"))).toBeVisible();
});

test("a removed member is told they cannot ask again", async ({ page }) => {
  await signIn(page, "kangding-jun.t1");
  await page.goto(`${groupPath}/members`);
  const members = page.locator("section", { has: page.getByRole("heading", { name: tr("bo", "members.title"), exact: true }) });
  await members.getByRole("button", { name: new RegExp(`^${tr("bo", "members.makeModerator")}`) }).click();
  await expect(members.locator(".member-list")).toContainText(tr("bo", "roles.moderator"));
  await members.getByRole("button", { name: new RegExp(`^${tr("bo", "members.remove")}`) }).click();
  await expect(members.locator(".member-list > li")).toHaveCount(1);
  await signOut(page);

  await signIn(page, "garze-voc.t1");
  await page.goto(groupPath);
  await expect(page.getByText(tr("bo", "noLongerMember"))).toBeVisible();
  // The page says so before they try: no button to ask with.
  await expect(page.getByText(tr("bo", "removedCannotRejoin"))).toBeVisible();
  await expect(page.getByRole("button", { name: tr("bo", "page.ask") })).toHaveCount(0);
  await expectFitsWidth(page);
});

test("the owner opens the group to all; another teacher of 甘孜 joins at once and sees the members' names and schools", async ({ page }) => {
  await signIn(page, "kangding-jun.t1");
  await page.goto(groupPath);
  await page.getByRole("link", { name: tr("bo", "page.edit") }).click();
  await expect(page).toHaveURL(`${groupPath}/edit`);
  await expect(page.locator("#f-name")).toHaveValue(GROUP_NAME);
  await expect(page.locator("#f-kind")).toHaveCount(0);
  await page.locator("#f-joinPolicy").selectOption("open");
  await page.locator("#f-description").fill("ཁམས་ཀྱི་རྩིས་རིག་དགེ་རྒན་དང་སློབ་མ།");
  await checkPage(page);
  await page.getByRole("button", { name: tr("bo", "form.save") }).click();
  await expect(page).toHaveURL(groupPath);
  await expect(page.locator(".group-head .description")).toHaveText("ཁམས་ཀྱི་རྩིས་རིག་དགེ་རྒན་དང་སློབ་མ།");
  await signOut(page);

  await signIn(page, "garze-voc.t2");
  await page.goto(groupPath);
  await page.getByRole("button", { name: tr("bo", "page.join") }).click();
  await expect(page.getByText(tr("bo", "page.youAre", { role: tr("bo", "roles.member") }))).toBeVisible();
  await expect(page.locator(".group-head")).toContainText("甘孜州职业技术学校");
  await page.getByRole("navigation", { name: tr("bo", "page.tabs") }).getByRole("link", { name: tr("bo", "page.members") }).click();
  await expect(page.locator(".member-list").first()).toContainText("康定市民族中学");
  await expect(page.locator(".member-list").first()).toContainText("甘孜州职业技术学校");
  await expect(page.locator(".member-list").first().locator("li")).toHaveCount(2);
});

for (const lng of ["zh-Hans", "bo", "ii"] as const) {
  test(`directory, group page and members page fit a phone and a desktop in ${lng}`, async ({ page }, testInfo) => {
    await signIn(page, "kangding-jun.t1");
    await page.locator(`.lang-switcher button[value="${lng}"]`).click();
    for (const [name, path] of [
      ["directory", "/groups"],
      ["group", groupPath],
      ["members", `${groupPath}/members`],
    ] as const) {
      await page.goto(path);
      await expect(page.locator("html")).toHaveAttribute("lang", lng);
      for (const width of [360, 1280]) {
        await page.setViewportSize({ width, height: 800 });
        await expectFitsWidth(page);
        await page.screenshot({ path: testInfo.outputPath(`${name}-${lng}-${width}.png`), fullPage: true });
      }
    }
    await page.locator('.lang-switcher button[value="bo"]').click();
  });
}
