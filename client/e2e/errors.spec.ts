import { expect, test } from "./support/page-test.js";
import { dataSet, modes, UsagePage } from "./support/usage-page.js";

const servicePaths = ["**/api/readings*", "**/meterusage.v1.MeterUsageService/**"];

for (const { mode, label } of modes) {
  test(`${label} mode: a service that is down is an error on the page, and Try again recovers`, async ({ page, consoleWatch }) => {
    consoleWatch.allow(/^Failed to load resource: net::ERR_CONNECTION_REFUSED$/);
    for (const path of servicePaths) await page.route(path, (route) => route.abort("connectionrefused"));
    const usage = new UsagePage(page);
    await usage.open(`?mode=${mode}`);

    await expect(usage.alert()).toContainText("The meter usage service did not answer. Check that it is running, then try again.");
    await expect(usage.status()).toHaveText("No readings loaded.");
    await expect(page.getByRole("heading", { name: "Meter usage" })).toBeVisible();

    for (const path of servicePaths) await page.unroute(path);
    await page.getByRole("button", { name: "Try again" }).click();
    await usage.expectLoaded(dataSet.count, label);
    await expect(usage.alert()).toHaveCount(0);
  });
}

test("JSON mode shows the service's own message for a refused request", async ({ page, consoleWatch }) => {
  consoleWatch.allow(/^Failed to load resource: the server responded with a status of 400/);
  await page.route("**/api/readings*", (route) =>
    route.fulfill({ status: 400, json: { error: 'the `start` parameter "x" is not a time' } }),
  );
  const usage = new UsagePage(page);
  await usage.open("?mode=json");

  await expect(usage.alert()).toContainText('the `start` parameter "x" is not a time');
});

test("gRPC-Web mode shows the service's own message for a refused request", async ({ page }) => {
  await page.route("**/meterusage.v1.MeterUsageService/StreamReadings", (route) =>
    route.fulfill({
      status: 200,
      headers: { "content-type": "application/grpc-web+proto", "grpc-status": "3", "grpc-message": "start is after end" },
      body: "",
    }),
  );
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web");

  await expect(usage.alert()).toContainText("start is after end");
  await expect(usage.status()).toHaveText("No readings loaded.");
});

test("an address that cannot be read says so and shows what it can", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=xml&start=yesterday");

  await expect(usage.alert()).toContainText('The address\'s mode "xml" is neither "json" nor "grpc-web"');
  await expect(usage.alert()).toContainText('The address\'s start "yesterday" is not a time');
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");
});
