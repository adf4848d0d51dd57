import { londonService, scaledReading, storeLondonReadings } from "./support/london-service.js";
import { expect, test } from "./support/page-test.js";
import { UsageViewPage } from "./support/usage-view-page.js";

test.beforeEach(async ({ request }) => {
  await storeLondonReadings(request);
});

// 25 March to 1 April, eight local days of hourly readings: eight rows of 24 columns.
const rows = 8;
const columns = 24;

test("the heatmap cell under the pointer reads the reading of that local day and time", async ({ page }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=day&start=2019-03-25&end=2019-04-02");
  await expect(usage.heatmap()).toHaveAccessibleName(/^Heatmap of 2019-03-25 to 2019-04-01, one row a day and one column every 60 minutes/);

  // Before the clocks change, 10:00 in London is 10:00 UTC.
  await usage.pointAtCell(1, rows, 10, columns);
  await expect(usage.heatmapReadout()).toHaveText(`Tue 26 Mar 2019 10:00: ${readingText("2019-03-26T10:00:00Z")}`);

  // After, 03:00 British Summer Time is 02:00 UTC, and there was no 01:00 on 31 March.
  await usage.pointAtCell(6, rows, 3, columns);
  await expect(usage.heatmapReadout()).toHaveText(`Sun 31 Mar 2019 03:00: ${readingText("2019-03-31T02:00:00Z")}`);
  await usage.pointAtCell(6, rows, 1, columns);
  await expect(usage.heatmapReadout()).toHaveText("Sun 31 Mar 2019 01:00: no reading");
  await usage.pointAtCell(7, rows, 0, columns);
  await expect(usage.heatmapReadout()).toHaveText(`Mon 1 Apr 2019 00:00: ${readingText("2019-03-31T23:00:00Z")}`);
});

test("the arrow keys move the heatmap's readout from cell to cell", async ({ page }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=day&start=2019-03-25&end=2019-04-02");

  await usage.heatmap().focus();
  await page.keyboard.press("ArrowDown");
  await expect(usage.heatmapReadout()).toHaveText(`Mon 25 Mar 2019 00:00: ${readingText("2019-03-25T00:00:00Z")}`);
  await page.keyboard.press("ArrowDown");
  await page.keyboard.press("ArrowRight");
  await expect(usage.heatmapReadout()).toHaveText(`Tue 26 Mar 2019 01:00: ${readingText("2019-03-26T01:00:00Z")}`);
});

test("with two meters, the heatmap and the typical day show the one chosen, and the address keeps it", async ({ page, request }) => {
  await storeLondonReadings(request, "annex", 0.5);
  const usage = new UsageViewPage(page);
  await page.goto(`${londonService.origin}/?view=usage&meters=${londonService.meter},annex&period=day&start=2019-03-25&end=2019-04-02`);
  await expect(page.getByRole("heading", { name: /^Heatmap: london / })).toBeVisible();
  await usage.pointAtCell(1, rows, 10, columns);
  await expect(usage.heatmapReadout()).toHaveText(`Tue 26 Mar 2019 10:00: ${readingText("2019-03-26T10:00:00Z")}`);

  await page.getByLabel("Heatmap and typical day of").selectOption("annex");

  await expect(page).toHaveURL(/[?&]heatmap=annex(&|$)/);
  await expect(page.getByRole("heading", { name: /^Heatmap: annex / })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Typical day: annex,/ })).toBeVisible();
  await usage.pointAtCell(1, rows, 10, columns);
  await expect(usage.heatmapReadout()).toHaveText(`Tue 26 Mar 2019 10:00: ${readingText("2019-03-26T10:00:00Z", 0.5)}`);

  await page.reload();
  await expect(page.getByLabel("Heatmap and typical day of")).toHaveValue("annex");
});

/** A reading as the page shows it: at least two decimals. */
function readingText(time: string, scale = 1): string {
  return new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(scaledReading(Date.parse(time), scale));
}
