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
