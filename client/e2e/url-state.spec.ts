import { expect, test } from "./support/page-test.js";
import { modes, UsagePage } from "./support/usage-page.js";

for (const { mode, label } of modes) {
  test(`${label} mode: reloading keeps the mode and the range`, async ({ page }) => {
    const usage = new UsagePage(page);
    await usage.open(`?mode=${mode === "json" ? "grpc-web" : "json"}`);
    await usage.modeRadio(label).check();
    await usage.showRange("2019-01-02T00:00", "2019-01-03T00:00");
    await usage.expectLoaded(96, label);

    await page.reload();

    await expect(page).toHaveURL(`/?mode=${mode}&start=2019-01-02T00:00:00Z&end=2019-01-03T00:00:00Z`);
    await expect(usage.modeRadio(label)).toBeChecked();
    await expect(usage.startInput()).toHaveValue("2019-01-02T00:00");
    await expect(usage.endInput()).toHaveValue("2019-01-03T00:00");
    await usage.expectLoaded(96, label);
  });
}

test("presets set the range, and Back returns to the one before", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=json&start=2019-01-10T06:00:00Z");
  await usage.expectLoaded(2088, "JSON");

  await page.getByRole("button", { name: "One week" }).click();
  await expect(page).toHaveURL("/?mode=json&start=2019-01-10T00:00:00Z&end=2019-01-17T00:00:00Z");
  await usage.expectLoaded(7 * 96, "JSON");

  await page.getByRole("button", { name: "One day" }).click();
  await usage.expectLoaded(96, "JSON");
  await expect(usage.endInput()).toHaveValue("2019-01-11T00:00");

  await page.getByRole("button", { name: "All data" }).click();
  await expect(page).toHaveURL("/?mode=json");
  await usage.expectLoaded(2975, "JSON");
  await expect(usage.startInput()).toHaveValue("");

  await page.goBack();
  await usage.expectLoaded(96, "JSON");
  await expect(usage.startInput()).toHaveValue("2019-01-10T00:00");
});

test("the mode switch works from the keyboard", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=json");
  await usage.expectLoaded(2975, "JSON");

  await usage.modeRadio("JSON").focus();
  await page.keyboard.press("ArrowRight");

  await expect(usage.modeRadio("gRPC-Web stream")).toBeChecked();
  await expect(usage.modeRadio("gRPC-Web stream")).toBeFocused();
  await expect(page).toHaveURL("/?mode=grpc-web");
  await usage.expectLoaded(2975, "gRPC-Web stream");
});
