import { londonService, storeLondonReadings } from "./support/london-service.js";
import { expect, test } from "./support/page-test.js";
import { UsageViewPage } from "./support/usage-view-page.js";

const windows = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];

test.beforeEach(async ({ request }) => {
  await storeLondonReadings(request);
  await storeLondonReadings(request, "annex", 0.5);
});

// Screenshots land in test-results/screenshots/ for a person to look at; the checks here are
// the parts of "readable" a test can tell.
for (const window of windows) {
  test(`the usage view fits a ${window.width}px window, its bars in view at once`, async ({ page }) => {
    await page.setViewportSize({ width: window.width, height: window.height });
    const usage = new UsageViewPage(page);
    await usage.open("period=day&start=2019-03-25&end=2019-04-01");
    await usage.expectFirstBar("Mon 25 Mar 2019");

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, "page wider than the window").toBe(0);
    const bars = (await usage.barsChart().boundingBox())!;
    expect(bars.width).toBeLessThanOrEqual(window.width);
    if (window.name === "desktop") expect(bars.y + bars.height, "bars below the fold").toBeLessThanOrEqual(window.height);
    await page.screenshot({ path: `test-results/screenshots/usage-bars-${window.name}.png` });

    const meterChoice = page.getByText(/^Meters: /);
    await meterChoice.click();
    await expect(page.getByRole("group", { name: "Meters", exact: true })).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/usage-meters-${window.name}.png` });
    await meterChoice.click();

    await usage.compareSwitch().check();
    await expect(usage.barsTable().getByRole("columnheader", { name: "Previous total" })).toBeVisible();
    await page.mouse.move(bars.x + bars.width - 30, bars.y + bars.height / 2);
    await expect(usage.barsReadout()).toContainText("previous (Sun 24 Mar 2019)");
    await page.screenshot({ path: `test-results/screenshots/usage-compare-${window.name}.png` });

    await usage.pointAtCell(6, 7, 18, 24);
    await expect(usage.heatmapReadout()).toContainText("Sun 31 Mar 2019 18:00: ");
    await page.screenshot({ path: `test-results/screenshots/usage-heatmap-${window.name}.png` });

    await page.getByRole("img", { name: /^Line chart of the mean by time of day/ }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screenshots/usage-profile-${window.name}.png` });
    await page.screenshot({ path: `test-results/screenshots/usage-page-${window.name}.png`, fullPage: true });

    await page.goto(`${londonService.origin}/?view=usage&meters=${londonService.meter},annex&period=day&start=2019-03-25&end=2019-04-01&heatmap=annex`);
    await expect(page.getByRole("heading", { name: /^Heatmap: annex / })).toBeVisible();
    const twoMetersOverflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(twoMetersOverflow, "page with two meters wider than the window").toBe(0);
    await usage.heatmap().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screenshots/usage-heatmap-two-meters-${window.name}.png` });
  });
}
