import { londonUsage, storeLondonReadings, usageText } from "./support/london-service.js";
import { expect, test } from "./support/page-test.js";
import { UsageViewPage } from "./support/usage-view-page.js";

test.beforeEach(async ({ request }) => {
  await storeLondonReadings(request);
});

test("comparing adds the week before as ghost bars, period by period", async ({ page, request }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=day&start=2019-03-25&end=2019-04-01");
  await usage.expectFirstBar("Mon 25 Mar 2019");
  await expect(usage.barsTable().getByRole("columnheader")).toHaveText(["Period", "london"]);

  await usage.compareSwitch().check();

  await expect(page).toHaveURL(/compare=1/);
  await expect(usage.barsTable().getByRole("columnheader")).toHaveText(["Period", "london", "Previous period", "Previous total"]);
  const previous = (await londonUsage(request, "day", "2019-03-18", "2019-03-25")).meters[0].periods;
  expect(previous).toHaveLength(7);
  for (const [index, { sum }] of previous.entries()) {
    const day = 18 + index;
    const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][index];
    await expect(usage.barRows().nth(index).getByRole("cell").nth(1)).toHaveText(`${weekday} ${day} Mar 2019`);
    await expect(usage.barRows().nth(index).getByRole("cell").nth(2)).toHaveText(usageText(sum));
  }
  await expect(page.getByRole("listitem").filter({ hasText: "Previous period" })).toBeVisible();
});

test("the month before a month is the calendar month, not the same number of days", async ({ page, request }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=week&start=2019-04-01&end=2019-05-01&compare=1");

  await usage.expectFirstBar("Week of Mon 1 Apr 2019");
  const previous = (await londonUsage(request, "week", "2019-03-01", "2019-04-01")).meters[0].periods;
  await expect(usage.barRows().first().getByRole("cell").nth(1)).toHaveText("Week of Fri 1 Mar 2019 (72 hours)");
  await expect(usage.barRows().nth(3).getByRole("cell").nth(1)).toHaveText("Week of Mon 18 Mar 2019");
  await expect(usage.barRows().nth(3).getByRole("cell").nth(2)).toHaveText(usageText(previous[3].sum));
});
