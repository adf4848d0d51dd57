import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { espiFeedText, greenButtonCsvText, hourlyBlocks } from "../../server/test/support/meter-files.js";
import { expect, test } from "./support/page-test.js";

// A service of this file's own, which needs a token to store readings: importing changes its
// meters, which the other servers' tests count on staying as they are.
const token = `import-${process.pid}`;
let service: ChildProcess;
let origin: string;
let database: string;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  const script = "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  const port = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" }).stdout.trim();
  database = join(tmpdir(), `meterusage-e2e-import-${process.pid}-${port}.db`);
  origin = `http://127.0.0.1:${port}`;
  service = spawn(process.execPath, ["dist/server/src/cli.js", "serve", "--port", port, "--host", "127.0.0.1", "--db", database, "--ingest-token", token], { stdio: ["ignore", "ignore", "inherit"] });
  await expect.poll(() => fetch(`${origin}/healthz`).then((response) => response.status, () => 0), { timeout: 30_000 }).toBe(200);
});

test.afterAll(() => {
  service.kill("SIGTERM");
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${database}${suffix}`, { force: true });
});

const feed = espiFeedText({
  prefix: "espi:",
  localTime: { tzOffset: -18000, dstOffset: 3600, dstStartRule: "360E2000", dstEndRule: "B40E2000" },
  usagePoints: [
    {
      title: "Unit 7",
      meterReadings: [{ blocks: hourlyBlocks(Date.parse("2019-01-10T05:00:00Z") / 1000, 48, (i) => String(400 + ((i * 37) % 900))) }, { flowDirection: 19, blocks: hourlyBlocks(Date.parse("2019-01-10T17:00:00Z") / 1000, 6, () => "1250") }],
    },
  ],
});

test("Import shows what a Green Button file holds, asks for a token with ingest rights, then stores it", async ({ page, consoleWatch }) => {
  consoleWatch.allow(/^Failed to load resource: the server responded with a status of 401/);
  // Two widths, each with a dry run and screenshots, then the import: more than the default 30 s on a busy machine.
  test.setTimeout(120_000);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto(`${origin}/?mode=json`);
    await page.getByRole("button", { name: "Import a file…" }).click();
    const panel = page.getByRole("region", { name: "Import readings" });
    await panel.getByLabel("Choose a file, or drop one here").setInputFiles({ name: "Download My Data.xml", mimeType: "application/xml", buffer: Buffer.from(feed) });
    if (width === 1280) {
      await expect(panel.getByRole("alert")).toHaveText("The service needs a token that may store readings.");
      await panel.getByLabel("Token with ingest rights").fill(token);
      await panel.getByRole("button", { name: "Use token" }).click();
    }
    await expect(panel.getByRole("heading", { name: "Download My Data.xml: Green Button ESPI XML" })).toBeVisible();
    const rows = panel.getByRole("table").getByRole("row");
    await expect(rows).toHaveText([
      "MeterReadingsFirstLastUnit",
      "Unit-7482019-01-10 05:00 UTC2019-01-12 04:00 UTCkWh",
      "Unit-7-export62019-01-10 17:00 UTC2019-01-10 22:00 UTCkWh",
    ]);
    await expect(panel.getByText(/^LocalTimeParameters \(line \d+\): standard time UTC-05:00/)).toBeVisible();
    // Nothing of the panel, nor the page, scrolls sideways, at either width.
    const sideways = await panel.evaluate((element) =>
      [document.documentElement, ...element.querySelectorAll("*")]
        .filter((inner) => inner === document.documentElement || ["auto", "scroll"].includes(getComputedStyle(inner).overflowX))
        .filter((inner) => inner.scrollWidth > inner.clientWidth + 1)
        .map((inner) => inner.tagName),
    );
    expect(sideways).toEqual([]);
    await page.screenshot({ path: `test-results/import-found-${width}.png`, fullPage: true });
    await panel.screenshot({ path: `test-results/import-panel-${width}.png` });
  }
  const before = await (await fetch(`${origin}/api/meters`)).json();
  expect(before.meters.map((meter: { name: string }) => meter.name)).not.toContain("Unit-7");

  const panel = page.getByRole("region", { name: "Import readings" });
  await panel.getByRole("button", { name: "Store 54 readings" }).click();
  await expect(panel.getByRole("status")).toHaveText("Stored 54 readings of Unit-7, Unit-7-export.");
  const after = await (await fetch(`${origin}/api/meters`)).json();
  expect(after.meters.map((meter: { name: string; count: number; unit: string }) => [meter.name, meter.count, meter.unit])).toEqual(
    expect.arrayContaining([["Unit-7", 48, "kWh"], ["Unit-7-export", 6, "kWh"]]),
  );
  await panel.screenshot({ path: "test-results/import-stored.png" });
});

test("Import reads a Green Button CSV in the zone given, naming the meter after the file, and shows a refusal's line", async ({ page, consoleWatch }) => {
  consoleWatch.allow(/^Failed to load resource: the server responded with a status of 400/);
  await page.goto(`${origin}/?mode=json`);
  await page.evaluate((secret) => sessionStorage.setItem("meterusage-token", secret), token);
  await page.reload();
  await page.getByRole("button", { name: "Import a file…" }).click();
  const panel = page.getByRole("region", { name: "Import readings" });
  await panel.getByLabel("Time zone of a Green Button CSV's local times").fill("America/New_York");
  const csv = greenButtonCsvText("TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES", [
    "Electric usage,11/3/2019,0:00,0:59,0.61,$0.08,",
    'Electric usage,11/3/2019,1:00,1:59,0.52,$0.07,"daylight time, then"',
    "Electric usage,11/3/2019,1:00,1:59,0.48,$0.06,standard time",
  ]);
  await panel.getByLabel("Choose a file, or drop one here").setInputFiles({ name: "elm-st-usage.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await expect(panel.getByRole("table").getByRole("row").nth(1)).toHaveText("elm-st-usage32019-11-03 04:00 UTC2019-11-03 06:00 UTCkWh");

  const spring = greenButtonCsvText("TYPE,DATE,START TIME,END TIME,USAGE (kWh)", ["Electric usage,2019-03-10,2:00,2:59,0.5"]);
  await panel.getByLabel("Choose a file, or drop one here").setInputFiles({ name: "spring.csv", mimeType: "text/csv", buffer: Buffer.from(spring) });
  await expect(panel.getByRole("alert")).toHaveText("line 7: 2019-03-10 02:00 does not exist in America/New_York: the clocks went forward over it");
  await expect(panel.getByRole("table")).toHaveCount(0);
});
