import { londonReading, storeLondonReadings, usageText } from "./support/london-service.js";
import { expect, test } from "./support/page-test.js";
import { UsageViewPage } from "./support/usage-view-page.js";

test.beforeEach(async ({ request }) => {
  await storeLondonReadings(request);
});

test("the typical day is the mean by local time of day, weekdays and weekends apart", async ({ page }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=day&start=2019-03-25&end=2019-04-02");

  // 10:00 in London: 10:00 UTC until the clocks went forward on Sunday 31 March, 09:00 UTC after.
  const weekdays = ["2019-03-25T10", "2019-03-26T10", "2019-03-27T10", "2019-03-28T10", "2019-03-29T10", "2019-04-01T09"];
  const weekends = ["2019-03-30T10", "2019-03-31T09"];
  const mean = (hours: string[]) => hours.reduce((sum, hour) => sum + londonReading(Date.parse(`${hour}:00:00Z`)), 0) / hours.length;
  const tenOClock = usage.profileTable().getByRole("row", { name: /^10:00 / });
  await expect(tenOClock.getByRole("cell")).toHaveText([usageText(mean(weekdays)), usageText(mean(weekends))]);
  await expect(usage.profileTable().locator("tbody tr")).toHaveCount(24);
  await expect(page.getByRole("img", { name: /^Line chart of the mean by time of day: weekdays highest at / })).toBeVisible();
});
