import { liveService, storeReadings } from "./support/live-service.js";
import { meterSet } from "./support/meter-set.js";
import { expect, test } from "./support/page-test.js";
import { dataSet, streamReadingsPath, UsagePage } from "./support/usage-page.js";

test("Live: readings stored while the page is open appear on it without a reload", async ({ page, request }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web&live=1", liveService.origin);
  await usage.expectLive(dataSet.count);
  await expect(usage.liveSwitch()).toBeChecked();

  await storeReadings(request, ["2019-02-01T00:00:00Z,12.5", "2019-02-01T00:15:00Z,"]);

  await usage.expectLive(dataSet.count + 2);
  await expect(usage.table()).toHaveAccessibleName("Readings table, 2,977 rows");
  // The table keeps the newest rows in sight, and the chart reaches them.
  await expect(usage.row("2019-02-01 00:00", "12.50")).toBeVisible();
  await expect(usage.row("2019-02-01 00:15", "missing")).toBeVisible();
  await expect(usage.chart()).toHaveAccessibleName(/^Line chart of 2,977 readings from 2019-01-01 00:15 UTC to 2019-02-01 00:15 UTC/);
  await expect(usage.summaryValue("Readings")).toHaveText("2,977");
  await expect(usage.summaryValue("Missing")).toHaveText("2");
  await expect(page).toHaveURL(`${liveService.origin}/?mode=grpc-web&live=1`);
});

test("the Live switch is kept in the address, and turning it off closes the stream", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web");
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");
  await expect(usage.liveSwitch()).not.toBeChecked();

  await usage.liveSwitch().check();
  await expect(page).toHaveURL("/?mode=grpc-web&live=1");
  await usage.expectLive(dataSet.count);
  await page.reload();
  await expect(usage.liveSwitch()).toBeChecked();
  await usage.expectLive(dataSet.count);

  const streamClosed = page.waitForEvent("requestfailed", (request) => request.url().endsWith(streamReadingsPath));
  await usage.liveSwitch().uncheck();

  expect((await streamClosed).failure()?.errorText).toBe("net::ERR_ABORTED");
  await expect(page).toHaveURL("/?mode=grpc-web");
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");
});

test("Cancel stops the live updates", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web&live=1");
  await usage.expectLive(dataSet.count);

  const streamClosed = page.waitForEvent("requestfailed", (request) => request.url().endsWith(streamReadingsPath));
  await page.getByRole("button", { name: "Cancel" }).click();

  await streamClosed;
  await expect(usage.status()).toHaveText("Live updates stopped after 2,975 readings.");
  await expect(usage.table()).toHaveAccessibleName("Readings table, 2,975 rows");
});

test("a live view whose range has already ended loads like any other", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web&live=1&end=2019-01-02T00:00:00Z");

  await usage.expectLoaded(95, "gRPC-Web stream");
  await expect(usage.liveSwitch()).toBeChecked();
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
});

test("Live needs the gRPC-Web stream, so JSON mode offers it disabled", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=json&live=1");

  await expect(usage.alert()).toContainText("Live updates come only by the gRPC-Web stream, so the JSON view is not live.");
  await usage.expectLoaded(dataSet.count, "JSON");
  await expect(usage.liveSwitch()).toBeDisabled();
  await expect(usage.liveSwitch()).toHaveAccessibleDescription("Live updates need the gRPC-Web stream.");

  await usage.modeRadio("gRPC-Web stream").check();
  await usage.liveSwitch().check();
  await usage.expectLive(dataSet.count);
  await usage.modeRadio("JSON").check();
  await expect(page).toHaveURL("/?mode=json");
  await expect(usage.liveSwitch()).not.toBeChecked();
});

test("Live follows each chosen meter: a reading stored for one appears in that meter's line, column and summary only", async ({ page, request }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web&live=1&meters=flat-1,flat-2", liveService.origin);
  await usage.expectLive(meterSet.flat1.count + meterSet.flat2.count, 2);

  await storeReadings(request, ["2019-01-03T00:00:00Z,99"], "flat-2");

  await usage.expectLive(meterSet.flat1.count + meterSet.flat2.count + 1, 2);
  await expect(usage.table().getByRole("row", { name: "2019-01-03 00:00 — 99.00", exact: true })).toBeVisible();
  await expect(usage.meterSummaryValue("flat-2", "Readings")).toHaveText(String(meterSet.flat2.count + 1));
  await expect(usage.meterSummaryValue("flat-1", "Readings")).toHaveText(String(meterSet.flat1.count));
  await expect(usage.chart()).toHaveAccessibleName(/to 2019-01-03 00:00 UTC: flat-1 24 readings; flat-2 49 readings/);
});
