import type { Page } from "@playwright/test";
import { downloadByLink } from "./support/download.js";
import { expect, test } from "./support/page-test.js";
import { dataSet, UsagePage } from "./support/usage-page.js";

async function downloadCsv(page: Page) {
  const { name, lines } = await downloadByLink(page);
  return { name, header: lines[0], rows: lines.slice(1) };
}

test("Download CSV saves every reading of the whole range in the import format", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web");
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");

  const csv = await downloadCsv(page);

  expect(csv.name).toBe("meterusage_first_last.csv");
  expect(csv.header).toBe("time,meterusage");
  expect(csv.rows).toHaveLength(dataSet.count);
  expect(csv.rows[0]).toBe("2019-01-01T00:15:00Z,55.09");
});

test("Download CSV saves only the readings of a narrowed range", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=json");
  await usage.showRange("2019-01-02T00:00", "2019-01-03T00:00");
  await usage.expectLoaded(96, "JSON");

  const csv = await downloadCsv(page);

  expect(csv.name).toBe("meterusage_2019-01-02_2019-01-03.csv");
  expect(csv.header).toBe("time,meterusage");
  expect(csv.rows).toHaveLength(96);
  expect(csv.rows[0]).toBe("2019-01-02T00:00:00Z,55.87");
});
