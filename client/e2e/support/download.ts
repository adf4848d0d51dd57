import { readFile } from "node:fs/promises";
import type { Page } from "@playwright/test";

/** Clicks a download link and reads the file the browser saved: its name and its lines. */
export async function downloadByLink(page: Page, linkName = "Download CSV"): Promise<{ name: string; lines: string[] }> {
  const downloading = page.waitForEvent("download");
  await page.getByRole("link", { name: linkName }).click();
  const download = await downloading;
  return { name: download.suggestedFilename(), lines: (await readFile(await download.path(), "utf8")).trimEnd().split("\n") };
}
