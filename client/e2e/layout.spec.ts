import { expect, test } from "./support/page-test.js";
import { dataSet, modes, UsagePage } from "./support/usage-page.js";

const windows = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];

// Screenshots land in test-results/screenshots/ for a person to look at; the checks here are
// the parts of "readable" a test can tell.
for (const window of windows) {
  for (const { mode, label } of modes) {
    test(`${label} mode fits a ${window.width}px window`, async ({ page }) => {
      await page.setViewportSize({ width: window.width, height: window.height });
      const usage = new UsagePage(page);
      await usage.open(`?mode=${mode}`);
      await usage.expectLoaded(dataSet.count, label);
      await expect(usage.summaryValue("Total")).not.toHaveText("…");

      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, "page wider than the window").toBe(0);
      const chart = page.getByRole("img", { name: /^Line chart of 2,975 readings/ });
      const box = await chart.boundingBox();
      expect(box!.width).toBeLessThanOrEqual(window.width);
      expect(box!.height).toBeGreaterThan(200);

      await page.screenshot({ path: `test-results/screenshots/${mode}-${window.name}.png`, fullPage: true });
    });
  }
}

for (const window of windows) {
  test(`Live mode fits a ${window.width}px window`, async ({ page }) => {
    await page.setViewportSize({ width: window.width, height: window.height });
    const usage = new UsagePage(page);
    await usage.open("?mode=grpc-web&live=1");
    await usage.expectLive(dataSet.count);
    await expect(usage.summaryValue("Total")).not.toHaveText("…");

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "page wider than the window").toBe(0);
    await expect(usage.row("2019-01-31 23:45", "54.36")).toBeVisible();

    await page.screenshot({ path: `test-results/screenshots/live-${window.name}.png`, fullPage: true });
  });
}
