import { downloadByLink } from "./support/download.js";
import { expect, test } from "./support/page-test.js";
import { tokensService } from "./support/tokens-service.js";
import { dataSet, UsagePage } from "./support/usage-page.js";

const storedToken = () => sessionStorage.getItem("meterusage-token");

test("a service with tokens: the page asks for one, signs in, shows its name, loads, and Sign out forgets it", async ({ page, consoleWatch }) => {
  consoleWatch.allow(/^Failed to load resource: the server responded with a status of 401/);
  const usage = new UsagePage(page);
  const signIn = page.getByRole("form", { name: "Sign in" });
  await usage.open("?mode=json", tokensService.origin);

  await expect(signIn).toBeVisible();
  await expect(page.getByText("The service needs a token: sign in to see the readings.")).toBeVisible();
  await signIn.getByLabel("Token").fill("not-a-token");
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await expect(signIn.getByRole("alert")).toHaveText("The service does not know that token.");

  await signIn.getByLabel("Token").fill(tokensService.reader.secret);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`Signed in as ${tokensService.reader.name}`)).toBeVisible();
  await usage.expectLoaded(dataSet.count, "JSON");
  expect(await page.evaluate(storedToken)).toBe(tokensService.reader.secret);

  // The token lasts as long as the tab, reloads included, and gRPC-Web calls carry it too.
  await usage.open("?mode=grpc-web", tokensService.origin);
  await expect(page.getByText(`Signed in as ${tokensService.reader.name}`)).toBeVisible();
  await usage.expectLoaded(dataSet.count, "gRPC-Web stream");
  await expect(signIn).toHaveCount(0);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(signIn).toBeVisible();
  expect(await page.evaluate(storedToken)).toBeNull();
  await expect(usage.status()).toHaveText("No readings loaded.");
});

test("a service without tokens never asks for one", async ({ page }) => {
  const usage = new UsagePage(page);
  await usage.open("?mode=json");
  await usage.expectLoaded(dataSet.count, "JSON");
  await expect(page.getByRole("form", { name: "Sign in" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
});

test("signed in, Download CSV sends the tab's token and saves the readings", async ({ page, consoleWatch }) => {
  consoleWatch.allow(/^Failed to load resource: the server responded with a status of 401/);
  const usage = new UsagePage(page);
  await usage.open("?mode=json", tokensService.origin);
  const signIn = page.getByRole("form", { name: "Sign in" });
  await signIn.getByLabel("Token").fill(tokensService.reader.secret);
  await signIn.getByRole("button", { name: "Sign in" }).click();
  await usage.expectLoaded(dataSet.count, "JSON");

  const { name, lines } = await downloadByLink(page);

  expect(name).toBe("meterusage_first_last.csv");
  expect(lines[0]).toBe("time,meterusage");
  expect(lines).toHaveLength(dataSet.count + 1);
  await expect(page.getByRole("alert")).toHaveCount(0);
});
