import { fromBinary } from "@bufbuild/protobuf";
import type { Page, Request } from "@playwright/test";
import { StreamReadingsRequestSchema } from "../../gen/meterusage/v1/meterusage_pb.js";
import { expect, test } from "./support/page-test.js";
import { dataSet, modes, streamReadingsPath, UsagePage, type Mode } from "./support/usage-page.js";

// At phone width the chart is about 360 pixels wide: too narrow to draw 2,975 readings one by
// one, while a 1280 pixel window draws them all (see layout.spec.ts).
const phone = { width: 390, height: 844 };

/** The max_points a readings request asks for, by the mode's own protocol; 0 asks for readings. */
function maxPointsOf(request: Request, mode: Mode): number {
  if (mode === "json") return Number(new URL(request.url()).searchParams.get("max_points") ?? 0);
  // A gRPC-Web request body is one envelope: a flag byte, four length bytes, the message.
  return fromBinary(StreamReadingsRequestSchema, request.postDataBuffer()!.subarray(5)).maxPoints;
}

function readingsRequests(page: Page, mode: Mode): Request[] {
  const path = mode === "json" ? "/api/readings" : streamReadingsPath;
  const requests: Request[] = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === path) requests.push(request);
  });
  return requests;
}

for (const { mode, label } of modes) {
  test(`${label} mode: a chart too narrow for every reading asks for buckets, and the table still lists every reading`, async ({ page }) => {
    await page.setViewportSize(phone);
    const requests = readingsRequests(page, mode);
    const usage = new UsagePage(page);
    await usage.open(`?mode=${mode}`);

    await usage.expectLoaded(dataSet.count, label);
    await expect(usage.chart()).toHaveAccessibleName(/^Line chart of 2,975 readings from .* drawn as \d+ buckets: a line through each bucket's mean/);
    await expect(page.getByText("Too many readings to draw one by one: each point is the mean of about 8 readings")).toBeVisible();
    const chartWidth = (await usage.chart().boundingBox())!.width;
    const maxPoints = requests.map((request) => maxPointsOf(request, mode));
    expect(maxPoints.sort()).toEqual([0, Math.round(chartWidth)]);
    await expect(usage.table()).toHaveAccessibleName("Readings table, 2,975 rows");
    await expect(usage.row(dataSet.first.time, dataSet.first.value)).toBeVisible();

    await page.screenshot({ path: `test-results/screenshots/buckets-${mode}-phone.png`, fullPage: true });
  });
}

test("dragging across a day of the bucket chart shows that day's readings, and Back the buckets again", async ({ page }) => {
  await page.setViewportSize(phone);
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web");
  await expect(usage.chart()).toHaveAccessibleName(/drawn as \d+ buckets/);

  // The mouse works in the window, so the chart must be in it.
  await usage.chart().scrollIntoViewIfNeeded();
  const plot = (await page.locator(".u-over").boundingBox())!;
  const dayWidth = plot.width / 31;
  const from = { x: plot.x + 10 * dayWidth, y: plot.y + plot.height / 2 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + dayWidth, from.y, { steps: 5 });
  await page.mouse.up();

  await expect(page).toHaveURL(/\?mode=grpc-web&start=2019-01-1\dT[\d:]+Z&end=2019-01-1\dT[\d:]+Z$/);
  await expect(usage.status()).toHaveText(/^\d{2,3} readings loaded by gRPC-Web stream\.$/);
  await expect(usage.chart()).toHaveAccessibleName(/^Line chart of \d{2,3} readings from 2019-01-1\d .*The table below lists every reading\.$/);
  const shown = Number((await usage.status().textContent())!.split(" ")[0]);
  expect(shown).toBeGreaterThan(80);
  expect(shown).toBeLessThan(120);
  await expect(usage.table()).toHaveAccessibleName(`Readings table, ${shown} rows`);

  await page.goBack();
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");
  await expect(usage.chart()).toHaveAccessibleName(/drawn as \d+ buckets/);
});
