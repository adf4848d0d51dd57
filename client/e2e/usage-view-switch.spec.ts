import { downloadByLink } from "./support/download.js";
import { metersService } from "./support/meter-set.js";
import { expect, test } from "./support/page-test.js";
import { dataSet, UsagePage } from "./support/usage-page.js";

test("the Usage tab shows the default meter's usage in its zone, and Back returns to the readings", async ({ page }) => {
  const readings = new UsagePage(page);
  await readings.open("?mode=json");
  await readings.expectLoaded(dataSet.count, "JSON");

  await page.getByRole("link", { name: "Usage" }).click();

  await expect(page).toHaveURL("/?view=usage&period=day");
  await expect(page.getByRole("link", { name: "Usage" })).toHaveAttribute("aria-current", "page");
  // The bundled meter's last reading is on 31 January: the last 7 days end there.
  await expect(page.getByRole("table", { name: "Usage per day" }).locator("tbody th")).toHaveText(
    ["Fri 25 Jan 2019", "Sat 26 Jan 2019", "Sun 27 Jan 2019", "Mon 28 Jan 2019", "Tue 29 Jan 2019", "Wed 30 Jan 2019", "Thu 31 Jan 2019"],
  );
  await expect(page.getByText("Times in UTC")).toBeVisible();

  await page.goBack();
  await expect(page).toHaveURL("/?mode=json");
  await readings.expectLoaded(dataSet.count, "JSON");
});

test("the meters chosen go along with a switch between the views, and the Usage view chooses its own", async ({ page }) => {
  const readings = new UsagePage(page);
  await readings.open("?meters=flat-1,flat-2", metersService.origin);
  await expect(readings.meterBox("flat-2")).toBeChecked();

  await page.getByRole("link", { name: "Usage" }).click();

  await expect(page).toHaveURL(/[?&]view=usage&meters=flat-1,flat-2(&|$)/);
  const key = page.getByRole("list", { name: "Key" });
  await expect(key.getByRole("listitem")).toHaveText(["flat-1", "flat-2"]);
  const meterChoice = page.getByText("Meters: flat-1, flat-2", { exact: true });
  await expect(meterChoice).toBeVisible();
  // Closed, the choice leaves the bars where they were; opened, it is the readings view's picker.
  await expect(readings.meterPicker()).toBeHidden();
  await meterChoice.click();
  await readings.meterBox("shop").check();

  await expect(page).toHaveURL(/[?&]meters=flat-1,flat-2,shop(&|$)/);
  await expect(key.getByRole("listitem")).toHaveText(["flat-1", "flat-2", "shop"]);
  await expect(page.getByRole("table", { name: "Usage per day" }).locator("thead th")).toHaveText(["Period", "flat-1", "flat-2", "shop", "Total"]);

  await page.getByRole("link", { name: "Readings" }).click();
  await expect(page).toHaveURL(/[?&]meters=flat-1,flat-2,shop(&|$)/);
  await expect(readings.meterBox("shop")).toBeChecked();
});

test("the Usage view's Download CSV saves the bars shown, a row a period", async ({ page }) => {
  await page.goto("/?view=usage&period=day&start=2019-01-25&end=2019-02-01");
  await expect(page.getByRole("table", { name: "Usage per day" }).locator("tbody th")).toHaveCount(7);

  const { name, lines } = await downloadByLink(page);

  expect(name).toBe("usage_day_meterusage.csv");
  expect(lines[0]).toBe("start,end,meterusage");
  expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(
    ["2019-01-25", "2019-01-26", "2019-01-27", "2019-01-28", "2019-01-29", "2019-01-30", "2019-01-31"].map((day) => `${day}T00:00:00Z`),
  );
});
