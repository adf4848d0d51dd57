import { expect, test } from "./support/page-test.js";
import { UsagePage } from "./support/usage-page.js";

test("the table stays small in the page at 100,000 readings", async ({ page }) => {
  const count = 100_000;
  const start = Date.UTC(2019, 0, 1);
  const readings = Array.from({ length: count }, (_, i) => ({
    time: new Date(start + i * 60_000).toISOString().replace(".000Z", "Z"),
    value: i % 1000 === 999 ? null : 50 + (i % 100),
  }));
  await page.route("**/api/readings*", (route) => route.fulfill({ json: { readings } }));
  const usage = new UsagePage(page);
  await usage.open("?mode=json");

  await usage.expectLoaded(count, "JSON");
  await expect(usage.table()).toHaveAccessibleName("Readings table, 100,000 rows");
  await expect(usage.row("2019-01-01 00:00", "50.00")).toBeVisible();
  // Only the rows on screen (and a few either side) are in the page.
  expect(await usage.table().locator("tbody tr[aria-rowindex]").count()).toBeLessThan(60);

  await usage.table().focus();
  await page.keyboard.press("End");
  await expect(usage.row("2019-03-11 10:39", "missing")).toBeVisible();
  await expect(usage.table().locator("tbody tr[aria-rowindex]").last()).toHaveAttribute("aria-rowindex", String(count + 1));
  expect(await usage.table().locator("tbody tr[aria-rowindex]").count()).toBeLessThan(60);
});
