import { londonService, storeLondonReadings, usageText } from "./support/london-service.js";
import { expect, test } from "./support/page-test.js";
import { agileMeter, moneyText, pricedMeter, pricedUsage, setUpAgileMeter, setUpPricedMeter } from "./support/priced-meter.js";

test.beforeEach(async ({ request }) => {
  await setUpPricedMeter(request);
});

const week = "period=day&start=2019-03-25&end=2019-04-01";
const open = (page: import("@playwright/test").Page, query: string) => page.goto(`${londonService.origin}/?view=usage&meters=${pricedMeter}&${query}`);
const totalOf = (values: number[]) => values.reduce((sum, value) => sum + value, 0);

test("a meter with a tariff shows the range's energy and cost above the bars, and cost bars on the switch", async ({ page, request }) => {
  const answer = await pricedUsage(request, "day", "2019-03-25", "2019-04-01");
  const periods = answer.meters[0].periods;
  await open(page, week);

  const totals = page.getByTestId("range-totals");
  await expect(totals).toHaveText(`2019-03-25 to 2019-03-31: ${usageText(totalOf(periods.map(({ sum }) => sum)))}, ${moneyText(totalOf(periods.map(({ cost }) => cost)))}`);
  const energyRows = page.getByRole("table", { name: /^Usage per day/ }).locator("tbody tr");
  await expect(energyRows.first().getByRole("cell")).toHaveText([`${usageText(periods[0].sum)} (${moneyText(periods[0].cost)})`]);

  await page.getByRole("radio", { name: "Cost" }).check();
  await expect(page).toHaveURL(/show=cost/);
  await expect(page.getByRole("heading", { name: "Cost per day (GBP)" })).toBeVisible();
  await expect(page.getByText("Standing charge", { exact: true })).toBeVisible();
  const costRows = page.getByRole("table", { name: /^Usage per day/ }).locator("tbody tr");
  const [first] = periods;
  await expect(costRows.first().getByRole("cell")).toHaveText([
    `${moneyText(first.cost)} (energy ${moneyText(first.energyCost)} + standing ${moneyText(first.standingCharge)}, ${usageText(first.sum)})`,
  ]);
  // 31 March has 23 hours and a whole day's standing charge.
  await expect(costRows.nth(6).getByRole("rowheader")).toHaveText("Sun 31 Mar 2019 (23 hours)");
  expect(periods[6].standingCharge).toBeCloseTo(0.45, 12);

  await page.reload();
  await expect(page.getByRole("radio", { name: "Cost" })).toBeChecked();
});

test("pointing at a bar reads its energy and its cost", async ({ page, request }) => {
  const answer = await pricedUsage(request, "day", "2019-03-25", "2019-04-01");
  const last = answer.meters[0].periods[6];
  await open(page, week);
  const chart = page.getByRole("region", { name: /^Usage per / }).locator("canvas");
  await expect(page.getByTestId("range-totals")).toBeVisible();
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
  const readout = page.getByRole("region", { name: /^Usage per / }).locator("[aria-live]");
  await expect(readout).toHaveText(`Sun 31 Mar 2019 (23 hours): ${pricedMeter} ${usageText(last.sum)} (${moneyText(last.cost)})`);

  await page.getByRole("radio", { name: "Cost" }).check();
  const costChart = page.getByRole("region", { name: /^Cost per / }).locator("canvas");
  const costBox = (await costChart.boundingBox())!;
  await page.mouse.move(costBox.x + costBox.width - 20, costBox.y + costBox.height / 2);
  await expect(page.getByRole("region", { name: /^Cost per / }).locator("[aria-live]")).toHaveText(
    `Sun 31 Mar 2019 (23 hours): ${pricedMeter} ${moneyText(last.cost)} (energy ${moneyText(last.energyCost)} + standing ${moneyText(last.standingCharge)}, ${usageText(last.sum)})`,
  );
});

test("compare shows the change in energy and in cost from the range before", async ({ page, request }) => {
  const now = (await pricedUsage(request, "day", "2019-03-25", "2019-04-01")).meters[0].periods;
  const before = (await pricedUsage(request, "day", "2019-03-18", "2019-03-25")).meters[0].periods;
  await open(page, `${week}&compare=1`);
  const change = (a: number, b: number) => `${a >= b ? "+" : "−"}${Math.abs(((a - b) / b) * 100).toFixed(1)}%`;
  const [energy, energyBefore] = [now, before].map((list) => totalOf(list.map(({ sum }) => sum)));
  const [cost, costBefore] = [now, before].map((list) => totalOf(list.map(({ cost: amount }) => amount)));
  await expect(page.getByTestId("range-totals")).toContainText(
    `Previous: ${usageText(energyBefore)}, ${moneyText(costBefore)} (energy ${change(energy, energyBefore)}, cost ${change(cost, costBefore)})`,
  );
});

test("a day of negative prices draws its cost bar below zero, its standing charge above", async ({ page, request }) => {
  await setUpAgileMeter(request);
  const periods = (await pricedUsage(request, "day", "2019-03-25", "2019-04-01", agileMeter)).meters[0].periods;
  expect(periods[1].energyCost).toBeGreaterThan(0);
  expect(periods[2].energyCost).toBeLessThan(0);
  await page.goto(`${londonService.origin}/?view=usage&meters=${agileMeter}&${week}&show=cost`);
  const costRows = page.getByRole("table", { name: /^Usage per day/ }).locator("tbody tr");
  await expect(costRows).toHaveCount(7);
  // Wednesday 27 March is the third day of the week shown.
  await expect(costRows.nth(2).getByRole("rowheader")).toHaveText("Wed 27 Mar 2019");
  await expect(costRows.nth(2).getByRole("cell")).toHaveText(/^GBP -\d+\.\d\d \(energy GBP -\d+\.\d\d \+ standing GBP 0\.40, /);

  const canvas = page.getByRole("region", { name: /^Cost per / }).locator("canvas");
  // The rows of the canvas where each day's bar has its energy part, in the meter's colour.
  const energyRows = await canvas.evaluate((element: HTMLCanvasElement) => {
    const { width, height } = element;
    const pixels = element.getContext("2d")!.getImageData(0, 0, width, height).data;
    const isMeterColour = (x: number, y: number) => {
      const at = (y * width + x) * 4;
      return pixels[at] === 0x0b && pixels[at + 1] === 0x5c && pixels[at + 2] === 0xad;
    };
    const rowsAt = (x: number) => Array.from({ length: height }, (_, y) => y).filter((y) => isMeterColour(x, y));
    const columns = Array.from({ length: width }, (_, x) => x).filter((x) => rowsAt(x).length > 0);
    const dayWidth = (columns.at(-1)! - columns[0]) / 6.5;
    return [1, 2].map((day) => rowsAt(Math.round(columns[0] + day * dayWidth + dayWidth * 0.25)));
  });
  const [positiveDay, negativeDay] = energyRows;
  expect(positiveDay.length).toBeGreaterThan(0);
  expect(negativeDay.length).toBeGreaterThan(0);
  // Canvas rows grow downwards: the negative bar starts where the positive one stands, at zero.
  expect(Math.min(...negativeDay)).toBeGreaterThanOrEqual(Math.max(...positiveDay));
  // Both drawn to the same scale, within a pixel or two of rounding at each end.
  const pixelsPerPound = positiveDay.length / periods[1].energyCost;
  expect(Math.abs(negativeDay.length - -periods[2].energyCost * pixelsPerPound)).toBeLessThanOrEqual(3);
  await page.screenshot({ path: "test-results/screenshots/usage-cost-negative-desktop.png" });
  await page.setViewportSize({ width: 390, height: 844 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: "test-results/screenshots/usage-cost-negative-phone.png", fullPage: true });
});

test("a meter without a tariff offers no cost switch", async ({ page, request }) => {
  await storeLondonReadings(request);
  await page.goto(`${londonService.origin}/?view=usage&meters=${londonService.meter}&${week}&show=cost`);
  await expect(page.getByRole("table", { name: /^Usage per day/ }).locator("tbody tr")).toHaveCount(7);
  await expect(page.getByRole("radio", { name: "Cost" })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: /^Usage per day/ })).toBeVisible();
});

for (const window of [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
]) {
  test(`the cost view fits a ${window.name} screen, the bars in view`, async ({ page }) => {
    await page.setViewportSize({ width: window.width, height: window.height });
    await open(page, `${week}&compare=1&show=cost`);
    await expect(page.getByRole("table", { name: /^Usage per day/ }).locator("tbody tr")).toHaveCount(7);
    const chart = page.getByRole("region", { name: /^Cost per / }).locator("canvas");
    const box = (await chart.boundingBox())!;
    if (window.name === "desktop") expect(box.y + box.height).toBeLessThanOrEqual(window.height);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(window.width);
    await page.screenshot({ path: `test-results/screenshots/usage-cost-${window.name}.png`, fullPage: window.name === "phone" });
  });
}
