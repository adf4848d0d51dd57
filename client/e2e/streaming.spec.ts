import { startHoldingProxy, type HoldingProxy } from "./support/holding-proxy.js";
import { expect, test } from "./support/page-test.js";
import { dataSet, streamReadingsPath, UsagePage } from "./support/usage-page.js";

// Each test opens the page through a proxy that holds the readings response, so that what the
// page shows while the response is still open can be checked step by step.
let proxy: HoldingProxy;

test.afterEach(async () => {
  await proxy?.close();
});

test("gRPC-Web rows appear while the stream is still arriving", async ({ page, baseURL }) => {
  proxy = await startHoldingProxy(baseURL!, streamReadingsPath);
  const usage = new UsagePage(page);
  await page.goto(`${proxy.origin}/?mode=grpc-web`);

  await proxy.release(1);
  await expect(usage.status()).toHaveText("Loading by gRPC-Web stream: 1,000 readings so far…");
  await expect(usage.row(dataSet.first.time, dataSet.first.value)).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Readings received" })).toHaveAttribute("value", "1000");
  await expect(page.getByRole("button", { name: "Cancel" })).toBeVisible();

  // A range's first message holds 1,000 readings and later ones up to 5,000, so the second
  // brings the rest of the bundled 2,975 while the stream is still open.
  await proxy.release(1);
  await expect(usage.status()).toHaveText("Loading by gRPC-Web stream: 2,975 readings so far…");
  await expect(page.getByRole("button", { name: "Cancel" })).toBeVisible();

  await proxy.release();
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
});

test("Cancel aborts a gRPC-Web stream part way", async ({ page, baseURL }) => {
  proxy = await startHoldingProxy(baseURL!, streamReadingsPath);
  const usage = new UsagePage(page);
  await page.goto(`${proxy.origin}/?mode=grpc-web`);
  await proxy.release(1);
  await expect(usage.status()).toHaveText("Loading by gRPC-Web stream: 1,000 readings so far…");

  await page.getByRole("button", { name: "Cancel" }).click();

  // The browser really closed the request: the held readings can no longer reach the page.
  await proxy.clientGone;
  await expect(usage.status()).toHaveText("Cancelled after 1,000 readings; the rest was not loaded.");
  await expect(usage.status()).toBeFocused();
  await expect(usage.table()).toHaveAccessibleName("Readings table, 1,000 rows");
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
  expect(proxy.delivered()).toBe(1);
});

test("Cancel aborts a JSON request still under way", async ({ page, baseURL }) => {
  proxy = await startHoldingProxy(baseURL!, "/api/readings");
  const usage = new UsagePage(page);
  await page.goto(`${proxy.origin}/?mode=json`);
  await expect(usage.status()).toHaveText("Loading readings by JSON…");

  await page.getByRole("button", { name: "Cancel" }).click();

  await proxy.clientGone;
  await expect(usage.status()).toHaveText("Cancelled after 0 readings; the rest was not loaded.");
  await expect(usage.table()).toHaveAccessibleName("Readings table, 0 rows");
  expect(proxy.delivered()).toBe(0);
});
