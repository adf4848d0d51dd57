import { liveService } from "./support/live-service.js";
import { meterSet, metersService } from "./support/meter-set.js";
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

for (const window of windows) {
  test(`several meters fit a ${window.width}px window: the picker with its filter, the overlay and the side-by-side table`, async ({ page }) => {
    await page.setViewportSize({ width: window.width, height: window.height });
    const usage = new UsagePage(page);
    await usage.open("?mode=grpc-web&meters=flat-1,flat-2,flat-3", metersService.origin);
    await usage.expectLoaded(96, "gRPC-Web stream", 3);
    await expect(usage.meterSummaryValue("flat-3", "Total")).not.toHaveText("…");

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "page wider than the window").toBe(0);
    await page.screenshot({ path: `test-results/screenshots/meters-${window.name}.png`, fullPage: true });

    await usage.meterFilter().fill("fl");
    await expect(usage.meterPicker().getByRole("checkbox")).toHaveCount(8);
    await usage.meterPicker().screenshot({ path: `test-results/screenshots/meter-filter-${window.name}.png` });
    await usage.tableChoice("flat-2").check();
    await expect(usage.table()).toHaveAccessibleName("Readings table, 48 rows");
    await page.screenshot({ path: `test-results/screenshots/meters-one-table-${window.name}.png`, fullPage: true });
  });

  test(`several live meters fit a ${window.width}px window`, async ({ page }) => {
    await page.setViewportSize({ width: window.width, height: window.height });
    const usage = new UsagePage(page);
    await usage.open("?mode=grpc-web&live=1&meters=meterusage,flat-3", liveService.origin);
    await usage.expectLive(dataSet.count + meterSet.flat3.count, 2);
    await expect(usage.meterSummaryValue("flat-3", "Total")).not.toHaveText("…");

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "page wider than the window").toBe(0);
    await page.screenshot({ path: `test-results/screenshots/meters-live-${window.name}.png`, fullPage: true });
  });
}
