import { fromBinary } from "@bufbuild/protobuf";
import type { APIRequestContext } from "@playwright/test";
import { GetSummaryRequestSchema, StreamReadingsRequestSchema } from "../../gen/meterusage/v1/meterusage_pb.js";
import { meterSet, metersService } from "./support/meter-set.js";
import { expect, test } from "./support/page-test.js";
import { modes, streamReadingsPath, UsagePage } from "./support/usage-page.js";

const threeMeters = ["flat-1", "flat-2", "flat-3"];
const getSummaryPath = "/meterusage.v1.MeterUsageService/GetSummary";

async function storedMeters(request: APIRequestContext): Promise<{ name: string; count: number }[]> {
  const response = await request.get(`${metersService.origin}/api/meters`);
  return ((await response.json()) as { meters: { name: string; count: number }[] }).meters;
}

/** What the table shows for a meter at a time, read from GET /api/readings: a value, "missing", or "—" for no reading. */
async function cellsFromService(request: APIRequestContext, meters: string[], times: string[]): Promise<Map<string, string[]>> {
  const columns = await Promise.all(
    meters.map(async (meter) => {
      const response = await request.get(`${metersService.origin}/api/readings?meter=${meter}`);
      const { readings } = (await response.json()) as { readings: { time: string; value: number | null }[] };
      return new Map(readings.map(({ time, value }) => [time.slice(0, 16).replace("T", " "), value === null ? "missing" : value.toFixed(2)]));
    }),
  );
  return new Map(times.map((time) => [time, columns.map((column) => column.get(time) ?? "—")]));
}

test("the picker lists every meter with its count, and the filter narrows the list", async ({ page, request }) => {
  const usage = new UsagePage(page);
  await usage.open("", metersService.origin);

  const meters = await storedMeters(request);
  expect(meters.map((meter) => meter.name)).toEqual(meterSet.names);
  for (const { name, count } of meters) {
    await expect(usage.meterPicker().getByRole("checkbox", { name: `${name} ${count} ${count === 1 ? "reading" : "readings"}` })).toBeVisible();
  }
  await expect(usage.meterPicker().getByRole("checkbox", { checked: true })).toHaveCount(0);
  await expect(usage.meterPicker()).toContainText(`None chosen: the page shows the service's default meter, ${meterSet.defaultMeter.name}.`);

  await usage.meterFilter().fill("FLAT");
  await expect(usage.meterPicker().getByRole("checkbox")).toHaveCount(8);
  await usage.meterFilter().fill("sh");
  await expect(usage.meterPicker().getByRole("checkbox")).toHaveCount(1);
  await expect(usage.meterBox("shop")).toBeVisible();
  await usage.meterFilter().fill("attic");
  await expect(usage.meterPicker().getByRole("checkbox")).toHaveCount(0);
  await expect(usage.meterPicker()).toContainText('No meter\'s name contains "attic".');
});

test("without chosen meters the page shows the service's default meter, and names it", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=json", metersService.origin);

  await usage.expectLoaded(meterSet.defaultMeter.count, "JSON");
  await expect(usage.summaryValue("Readings")).toHaveText(String(meterSet.defaultMeter.count));
  await expect(usage.meterPicker()).toContainText(`the service's default meter, ${meterSet.defaultMeter.name}.`);

  await usage.meterBox("flat-1").check();
  await expect(usage.meterPicker()).toContainText(`Clear every box for the default meter, ${meterSet.defaultMeter.name}.`);
});

test("three meters chosen from the keyboard overlay three lines with a legend naming them", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web", metersService.origin);

  for (const meter of threeMeters) {
    await usage.meterBox(meter).focus();
    await page.keyboard.press("Space");
    await expect(usage.meterBox(meter)).toBeChecked();
  }

  await expect(page).toHaveURL(`${metersService.origin}/?mode=grpc-web&meters=flat-1,flat-2,flat-3`);
  await usage.expectLoaded(meterSet.flat1.count + meterSet.flat2.count + meterSet.flat3.count, "gRPC-Web stream", 3);
  await expect(usage.chart()).toHaveAccessibleName(/^Line chart of 3 meters, flat-1, flat-2 and flat-3, from 2019-01-01 00:00 UTC to 2019-01-02 05:00 UTC: flat-1 24 readings; flat-2 48 readings; flat-3 24 readings, with 1 time/);
  await expect(usage.legendEntries()).toHaveText(["Time (UTC)—", ...threeMeters.map((meter) => `${meter}—`)]);
});

test("the summary shows each chosen meter with the count the service lists for it", async ({ page, request }) => {
  const usage = new UsagePage(page);
  await usage.open("?meters=flat-3,garage,flat-1", metersService.origin);

  const counts = new Map((await storedMeters(request)).map((meter) => [meter.name, meter.count]));
  for (const meter of ["flat-3", "garage", "flat-1"]) {
    await expect(usage.meterSummaryValue(meter, "Readings")).toHaveText(String(counts.get(meter)));
  }
  await expect(usage.meterSummaryValue("flat-1", "Missing")).toHaveText("1");
  await expect(usage.meterSummaryValue("garage", "Total")).toHaveText("1.5");
});

for (const { mode, label } of modes) {
  test(`${label} mode: the side-by-side table has a column a meter, with the values the service has`, async ({ page, request }) => {
    const usage = new UsagePage(page);
    await usage.open(`?mode=${mode}&meters=${threeMeters.join(",")}`, metersService.origin);
    await usage.expectLoaded(96, label, 3);

    await expect(usage.tableChoice("Side by side")).toBeChecked();
    await expect(usage.table().getByRole("columnheader")).toHaveText(["Time (UTC)", ...threeMeters]);
    // Times from the half-hourly flat-2 alone, flat-1's missing one, and flat-3's first.
    const times = ["2019-01-01 00:00", "2019-01-01 00:30", meterSet.flat1.missingTime, meterSet.flat3.firstTime];
    const cells = await cellsFromService(request, threeMeters, times);
    expect(cells.get("2019-01-01 00:30")).toEqual(["—", "20.50", "—"]);
    for (const [time, values] of cells) {
      await expect(usage.table().getByRole("row", { name: [time, ...values].join(" "), exact: true })).toBeVisible();
    }
    // Every time of every meter, once: flat-2's 48 half hours, and the 6 hours of the next day flat-3 has.
    await expect(usage.table()).toHaveAccessibleName("Readings table, 54 rows");

    await usage.tableChoice("flat-2").check();
    await expect(usage.table()).toHaveAccessibleName("Readings table, 48 rows");
    await expect(usage.table().getByRole("columnheader")).toHaveText(["Time (UTC)", "Value"]);
    await expect(usage.row("2019-01-01 00:30", "20.50")).toBeVisible();
  });
}

test("gRPC-Web mode names each meter in its own StreamReadings and GetSummary requests", async ({ page }) => {
  const asked: { path: string; meter: string }[] = [];
  page.on("request", (request) => {
    const path = new URL(request.url()).pathname;
    // A gRPC-Web request body is one envelope: a flag byte, four length bytes, the message.
    const message = () => request.postDataBuffer()!.subarray(5);
    if (path === streamReadingsPath) asked.push({ path, meter: fromBinary(StreamReadingsRequestSchema, message()).meter });
    if (path === getSummaryPath) asked.push({ path, meter: fromBinary(GetSummaryRequestSchema, message()).meter });
    if (path === "/api/readings") asked.push({ path, meter: new URL(request.url()).searchParams.get("meter") ?? "" });
  });
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web&meters=flat-2,garage", metersService.origin);

  await usage.expectLoaded(meterSet.flat2.count + 3, "gRPC-Web stream", 2);
  expect(asked.sort((a, b) => `${a.meter} ${a.path}`.localeCompare(`${b.meter} ${b.path}`))).toEqual([
    { path: getSummaryPath, meter: "flat-2" },
    { path: streamReadingsPath, meter: "flat-2" },
    { path: getSummaryPath, meter: "garage" },
    { path: streamReadingsPath, meter: "garage" },
  ]);
  await expect(usage.table().getByRole("row", { name: "2019-01-01 01:00 21.00 0.50", exact: true })).toBeVisible();
  await expect(usage.table().getByRole("row", { name: "2019-01-01 01:30 21.50 —", exact: true })).toBeVisible();
});

test("the address keeps the chosen meters: reload restores them, and Back returns to the choice before", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=json&meters=flat-1", metersService.origin);
  await usage.expectLoaded(meterSet.flat1.count, "JSON");

  await usage.meterBox("flat-3").check();
  await expect(page).toHaveURL(`${metersService.origin}/?mode=json&meters=flat-1,flat-3`);
  await usage.expectLoaded(48, "JSON", 2);

  await page.reload();
  await expect(usage.meterBox("flat-1")).toBeChecked();
  await expect(usage.meterBox("flat-3")).toBeChecked();
  await expect(usage.meterBox("flat-2")).not.toBeChecked();
  await usage.expectLoaded(48, "JSON", 2);
  await expect(usage.chart()).toHaveAccessibleName(/^Line chart of 2 meters, flat-1 and flat-3/);

  await page.goBack();
  await expect(page).toHaveURL(`${metersService.origin}/?mode=json&meters=flat-1`);
  await expect(usage.meterBox("flat-3")).not.toBeChecked();
  await usage.expectLoaded(meterSet.flat1.count, "JSON");

  await usage.meterBox("flat-1").uncheck();
  await expect(page).toHaveURL(`${metersService.origin}/?mode=json`);
  await usage.expectLoaded(meterSet.defaultMeter.count, "JSON");
});

test("a ninth meter is refused with a hint, and the eight stay shown", async ({ page }) => {
  const eight = meterSet.names.slice(0, 8);
  const usage = new UsagePage(page);
  await usage.open(`?mode=json&meters=${eight.join(",")}`, metersService.origin);
  await usage.expectLoaded(24 + 48 + 24 + 4 + 5 + 6 + 7 + 8, "JSON", 8);
  await expect(usage.legendEntries()).toHaveCount(9);

  await usage.meterBox("garage").click();

  await expect(usage.alert()).toHaveText("At most 8 meters at once: clear one before choosing garage.");
  await expect(usage.meterBox("garage")).not.toBeChecked();
  await expect(page).toHaveURL(`${metersService.origin}/?mode=json&meters=${eight.join(",")}`);

  await usage.meterBox("flat-8").uncheck();
  await usage.meterBox("garage").check();
  await expect(usage.alert()).toHaveCount(0);
  await expect(page).toHaveURL(`${metersService.origin}/?mode=json&meters=${[...eight.slice(0, 7), "garage"].join(",")}`);
});

test("a meter the service does not have is the service's own message", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=grpc-web&meters=flat-1,attic", metersService.origin);

  await expect(usage.alert()).toContainText('there is no meter "attic"');
  await expect(usage.meterSummaryValue("flat-1", "Readings")).toHaveText("24");
});
