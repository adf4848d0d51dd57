import { londonService, londonUsage, storeLondonReadings, usageText } from "./support/london-service.js";
import { expect, test } from "./support/page-test.js";
import { UsageViewPage } from "./support/usage-view-page.js";

test.beforeEach(async ({ request }) => {
  await storeLondonReadings(request);
});

test("day bars of a Europe/London meter show what /api/usage answers, its 23-hour day included", async ({ page, request }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=day&start=2019-03-25&end=2019-04-01");
  const answer = await londonUsage(request, "day", "2019-03-25", "2019-04-01");
  const periods = answer.meters[0].periods;

  await usage.expectFirstBar("Mon 25 Mar 2019");
  await expect(usage.barRows()).toHaveCount(7);
  const texts = periods.map(({ sum }) => usageText(sum));
  for (const [index, text] of texts.entries()) {
    await expect(usage.barRows().nth(index).getByRole("cell")).toHaveText([text]);
  }
  await expect(usage.barRows().nth(6).getByRole("rowheader")).toHaveText("Sun 31 Mar 2019 (23 hours)");
  expect(periods[6].count).toBe(23);
  await expect(page.getByText("Times in Europe/London")).toBeVisible();
});

test("hour bars of 31 March count 23, the clock going from 01:00 GMT to 02:00 BST", async ({ page, request }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=hour&start=2019-03-31&end=2019-04-01");
  const answer = await londonUsage(request, "hour", "2019-03-31", "2019-04-01");

  await usage.expectFirstBar("Sun 31 Mar 2019 00:00 GMT");
  await expect(usage.barRows()).toHaveCount(23);
  expect(answer.meters[0].periods).toHaveLength(23);
  await expect(usage.barRows().nth(1).getByRole("rowheader")).toHaveText("Sun 31 Mar 2019 02:00 BST");
  await expect(usage.barRows().nth(1).getByRole("cell")).toHaveText([usageText(answer.meters[0].periods[1].sum)]);
});

test("pointing at a bar reads its period and value", async ({ page, request }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=day&start=2019-03-25&end=2019-04-01");
  const answer = await londonUsage(request, "day", "2019-03-25", "2019-04-01");
  await usage.expectFirstBar("Mon 25 Mar 2019");

  const box = (await usage.barsChart().boundingBox())!;
  // The last of seven bars sits at the chart's right edge, clear of the value axis on the left.
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);

  await expect(usage.barsReadout()).toHaveText(`Sun 31 Mar 2019 (23 hours): ${londonService.meter} ${usageText(answer.meters[0].periods[6].sum)}`);
});

test("the period picker and presets change the bars and the address", async ({ page }) => {
  const usage = new UsageViewPage(page);
  await usage.open("period=day&start=2019-03-25&end=2019-04-01");
  await usage.expectFirstBar("Mon 25 Mar 2019");

  await page.getByRole("radio", { name: "Week" }).check();
  await usage.expectFirstBar("Week of Mon 25 Mar 2019 (167 hours)");
  await expect(page).toHaveURL(/period=week/);

  // The london meter's last reading is on 1 April, so "this month" is April 2019.
  await page.getByRole("button", { name: "This month" }).click();
  await expect(page).toHaveURL(/start=2019-04-01&end=2019-05-01/);
  await usage.expectFirstBar("Week of Mon 1 Apr 2019");
  await page.getByRole("radio", { name: "Day" }).check();
  await expect(usage.barRows()).toHaveCount(30);
});
