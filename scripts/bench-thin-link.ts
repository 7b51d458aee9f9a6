// How long Tibetan and Yi text stays boxes on a thin link (issue 14: a shared school link, 133 kbps down,
// 64 kbps up, 400 ms latency) for a phone with no Tibetan or Yi font: from the start of navigation until
// the page's own font for its script has loaded (document.fonts.check on the body's first family).
// Cold cache per page. A benchmark, not a test: numbers vary by a few hundred ms between runs.
// Usage: npm run build && npm run bench:thin-link (BENCH_PORT, BUILD_DIR as for bench:bytes)
import type { Page } from "@playwright/test";
import {
  launchChromium,
  pagePaths,
  signInAs,
  startDemoServer,
} from "./demo-server";

const { base, stop } = await startDemoServer(
  Number(process.env.BENCH_PORT ?? 3202)
);
const browser = await launchChromium({ withoutTibetanYiFonts: true });
const { firstThread, handIn } = pagePaths(base);

const SCRIPT = { bo: /[\u0F00-\u0FFF]+/gu, ii: /[\uA000-\uA4CF]+/gu };
type Lng = keyof typeof SCRIPT;

async function readableAfter(
  label: string,
  lng: Lng,
  target: string | ((page: Page) => Promise<string>),
  loginName?: string
) {
  const phone = { viewport: { width: 360, height: 740 }, locale: "zh-CN" };
  const setupContext = await browser.newContext(phone);
  await setupContext.addCookies([{ name: "lng", value: lng, url: base }]);
  const setupPage = await setupContext.newPage();
  if (loginName) await signInAs(setupPage, base, loginName);
  const path = typeof target === "string" ? target : await target(setupPage);
  const context = await browser.newContext({
    ...phone,
    storageState: await setupContext.storageState(),
  });
  await setupContext.close();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", {
    offline: false,
    latency: 400,
    downloadThroughput: 133000 / 8,
    uploadThroughput: 64000 / 8,
  });

  const start = Date.now();
  await page.goto(base + path, { waitUntil: "commit", timeout: 120_000 });
  // (No named functions inside evaluate: tsx would wrap them in a helper the page does not have.)
  // The text is drawn in boxes until this family's file for its letters is in: check() is true then.
  const { textShownAt, family } = await page.evaluate(
    async ({ pattern }) => {
      // Until the stylesheet is in, the body has the browser's default font, not the page's.
      while (
        !document.body ||
        !/Noto/.test(getComputedStyle(document.body).fontFamily)
      )
        await new Promise((r) => setTimeout(r, 50));
      const family = getComputedStyle(document.body)
        .fontFamily.split(",")[0]!
        .trim();
      for (;;) {
        const sample = (
          document.body.innerText.match(new RegExp(pattern, "gu")) ?? []
        )
          .join("")
          .slice(0, 200);
        if (sample && document.fonts.check(`16px ${family}`, sample))
          return { textShownAt: performance.now(), family };
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    { pattern: SCRIPT[lng].source }
  );
  const navigationStart = await page.evaluate(() => performance.timeOrigin);
  const ms = Math.round(navigationStart + textShownAt - start);
  const fontBytes = await page.evaluate(() =>
    performance
      .getEntriesByType("resource")
      .filter((e) => /\.woff2/.test(e.name))
      .map(
        (e) =>
          `${e.name
            .split("/")
            .pop()!
            .replace(/-[\w]{8}\.woff2$/, "")} ${Math.round(
            (e as PerformanceResourceTiming).transferSize / 1024
          )} KB`
      )
      .join(", ")
  );
  await context.close();
  return {
    page: label,
    family,
    "readable after (s)": (ms / 1000).toFixed(1),
    fonts: fontBytes,
  };
}

const rows = [];
try {
  for (const [lng, home, thread, pupil] of [
    ["bo", "kangding-pri.t1", "kangding-jun.t2", "wuhou-pri.s1"],
    ["ii", "zhaojue-pri.t1", "zhaojue-jun.t3", "wuhou-pri.s1"],
  ] as const) {
    rows.push(await readableAfter(`sign-in (${lng})`, lng, "/login"));
    rows.push(await readableAfter(`home: teacher (${lng})`, lng, "/", home));
    rows.push(
      await readableAfter(`group thread (${lng})`, lng, firstThread, thread)
    );
    rows.push(await readableAfter(`hand-in (${lng})`, lng, handIn, pupil));
  }
} finally {
  // A failed page must not leave the demo server holding the port.
  await browser.close();
  stop();
}
console.log(
  "\nTime until Tibetan / Yi text is readable at 133 kbps down, 64 kbps up, 400 ms latency, no local font, cold cache:\n"
);
console.table(rows);
