// Makes sure the browser tests have a Chromium: the one CHROMIUM_PATH names, Debian's
// /usr/bin/chromium, or Playwright's own. Where none is there it tries Playwright's
// download first and Debian's package second, since some machines can only do one.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

const debianChromium = "/usr/bin/chromium";

function playwrightChromium() {
  try {
    const path = chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function run(command) {
  try {
    execSync(command, { stdio: "inherit" });
    return true;
  } catch {
    return false;
  }
}

if (process.env.CHROMIUM_PATH) {
  if (!existsSync(process.env.CHROMIUM_PATH)) {
    console.error(`CHROMIUM_PATH is ${process.env.CHROMIUM_PATH}, but there is no file there`);
    process.exit(1);
  }
} else if (!existsSync(debianChromium) && playwrightChromium() === undefined) {
  console.log("No Chromium for the browser tests yet; installing one.");
  const installed =
    run("npx playwright install chromium") ||
    (process.getuid?.() === 0 && run("apt-get update && apt-get install -y chromium"));
  if (!installed) {
    console.error(
      "Could not install a Chromium. Install Debian's (sudo apt-get install chromium) or Playwright's " +
        "(npx playwright install chromium), or point CHROMIUM_PATH at one.",
    );
    process.exit(1);
  }
}
