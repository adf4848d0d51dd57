import { expect, test } from "./support/page-test.js";
import { dataSet, modes, UsagePage } from "./support/usage-page.js";

for (const { mode, label } of modes) {
  test.describe(`${label} mode`, () => {
    test("loads every reading, shows the first one and the missing one", async ({ page }) => {
      const usage = new UsagePage(page);
      await usage.open(`?mode=${mode}`);

      await usage.expectLoaded(dataSet.count, label);
      await expect(usage.modeRadio(label)).toBeChecked();
      await expect(usage.summaryValue("Readings")).toHaveText("2,975");
      await expect(usage.table()).toHaveAccessibleName("Readings table, 2,975 rows");
      await expect(usage.row(dataSet.first.time, dataSet.first.value)).toBeVisible();

      await usage.scrollTableTo(dataSet.missing.index);
      await expect(usage.row(dataSet.missing.time, "missing")).toBeVisible();
      await expect(usage.row("2019-01-17 02:30", "53.95")).toBeVisible();
    });

    test("a narrowed range shows its own readings and count", async ({ page }) => {
      const usage = new UsagePage(page);
      await usage.open(`?mode=${mode}`);
      await usage.expectLoaded(dataSet.count, label);

      await usage.showRange("2019-01-02T00:00", "2019-01-03T00:00");

      await usage.expectLoaded(96, label);
      await expect(usage.summaryValue("Readings")).toHaveText("96");
      await expect(usage.row("2019-01-02 00:00", "55.87")).toBeVisible();
      await expect(usage.row(dataSet.first.time, dataSet.first.value)).toHaveCount(0);
      await expect(page).toHaveURL(`/?mode=${mode}&start=2019-01-02T00:00:00Z&end=2019-01-03T00:00:00Z`);
    });

    test("a start after the end is an error, not a load", async ({ page }) => {
      const usage = new UsagePage(page);
      await usage.open(`?mode=${mode}`);
      await usage.expectLoaded(dataSet.count, label);

      await usage.showRange("2019-01-05T00:00", "2019-01-02T00:00");

      await expect(usage.alert()).toContainText(
        "The start (2019-01-05 00:00 UTC) is after the end (2019-01-02 00:00 UTC). Choose a start before the end.",
      );
      await expect(usage.startInput()).toHaveAttribute("aria-invalid", "true");
      await expect(page.getByRole("button", { name: "Try again" })).toHaveCount(0);
      await expect(usage.status()).toHaveText("No readings loaded.");
      await expect(usage.table()).toHaveAccessibleName("Readings table, 0 rows");
    });
  });
}

test("both modes show identical summary numbers", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=json");
  await usage.expectLoaded(dataSet.count, "JSON");
  await expect(usage.summaryValue("Total")).not.toHaveText("…");
  const fromJson = await usage.summary().getByRole("definition").allInnerTexts();

  await usage.modeRadio("gRPC-Web stream").check();
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");
  await expect(usage.summaryValue("Total")).not.toHaveText("…");
  const fromGrpcWeb = await usage.summary().getByRole("definition").allInnerTexts();

  expect(fromJson).toEqual(["2,975", "1", "45.60", "355.44", "143.09", "425,553.65"]);
  expect(fromGrpcWeb).toEqual(fromJson);
});

test("the gRPC-Web mode streams over application/grpc-web+proto", async ({ page }) => {
  const usage = new UsagePage(page);
  const streamRequest = page.waitForRequest((request) => new URL(request.url()).pathname === "/meterusage.v1.MeterUsageService/StreamReadings");
  await usage.open("?mode=grpc-web");

  const request = await streamRequest;
  expect(request.method()).toBe("POST");
  expect(request.headers()["content-type"]).toBe("application/grpc-web+proto");
  const response = await request.response();
  expect(response?.headers()["content-type"]).toBe("application/grpc-web+proto");
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");
});

test("the JSON mode fetches /api/readings and no stream", async ({ page }) => {
  const usage = new UsagePage(page);
  const streamed: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes("/StreamReadings")) streamed.push(request.url());
  });
  const jsonRequest = page.waitForRequest((request) => new URL(request.url()).pathname === "/api/readings");
  await usage.open("?mode=json&start=2019-01-02T00:00:00Z&end=2019-01-03T00:00:00Z");

  const request = await jsonRequest;
  expect(request.method()).toBe("GET");
  expect(new URL(request.url()).search).toBe("?start=2019-01-02T00%3A00%3A00Z&end=2019-01-03T00%3A00%3A00Z");
  await usage.expectLoaded(96, "JSON");
  expect(streamed).toEqual([]);
});
