import { expect, type Page } from "@playwright/test";
import { londonService } from "./london-service.js";

/** The usage view as a user perceives it, on the Europe/London test server. */
export class UsageViewPage {
  constructor(readonly page: Page) {}

  async open(query: string) {
    await this.page.goto(`${londonService.origin}/?view=usage&meters=${londonService.meter}&${query}`);
  }

  barsTable() {
    return this.page.getByRole("table", { name: /^Usage per / });
  }
  /** The bars table's rows below its header, each "period value [value...]". */
  barRows() {
    return this.barsTable().locator("tbody tr");
  }
  barsChart() {
    return this.page.getByRole("region", { name: /^Usage per / }).locator("canvas");
  }
  barsReadout() {
    return this.page.getByRole("region", { name: /^Usage per / }).locator("[aria-live]");
  }
  compareSwitch() {
    return this.page.getByRole("checkbox", { name: "Compare with the previous period" });
  }
  heatmap() {
    return this.page.getByRole("application", { name: /^Heatmap/ });
  }
  heatmapReadout() {
    return this.page.locator("#heatmap-readout");
  }
  profileTable() {
    return this.page.getByRole("table", { name: /^Mean by time of day/ });
  }

  /** Points at the heatmap's cell of a row (a day) and a column (a time of day), the canvas being exactly the cells. */
  async pointAtCell(row: number, rows: number, column: number, columns: number) {
    const canvas = this.heatmap().locator("canvas");
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await this.page.mouse.move(box.x + ((column + 0.5) / columns) * box.width, box.y + ((row + 0.5) / rows) * box.height);
  }

  /** Waits until the bars show the range from `first` (a row's period text). */
  async expectFirstBar(first: string) {
    await expect(this.barRows().first().getByRole("rowheader")).toHaveText(first);
  }
}
