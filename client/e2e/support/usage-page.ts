import { expect, type Page } from "@playwright/test";

export type Mode = "json" | "grpc-web";

export const modes: { mode: Mode; label: string }[] = [
  { mode: "json", label: "JSON" },
  { mode: "grpc-web", label: "gRPC-Web stream" },
];

/** What the bundled data set holds. */
export const dataSet = {
  count: 2975,
  first: { time: "2019-01-01 00:15", value: "55.09" },
  missing: { time: "2019-01-17 02:45", index: 1546 },
};

export const streamReadingsPath = "/meterusage.v1.MeterUsageService/StreamReadings";

function readingsText(count: number, meterCount: number): string {
  return `${count.toLocaleString("en-US")} readings${meterCount > 1 ? ` of ${meterCount} meters` : ""}`;
}

/** The page as a user perceives it: found by roles and names, as a screen reader would. */
export class UsagePage {
  constructor(readonly page: Page) {}

  status() {
    return this.page.getByRole("status");
  }
  alert() {
    return this.page.getByRole("alert");
  }
  modeRadio(label: string) {
    return this.page.getByRole("radio", { name: label, exact: true });
  }
  liveSwitch() {
    return this.page.getByRole("switch", { name: "Live" });
  }
  chart() {
    return this.page.getByRole("img", { name: /^(Line chart|No readings)/ });
  }
  startInput() {
    return this.page.getByLabel("Start (UTC)");
  }
  endInput() {
    return this.page.getByLabel("End (UTC, not included)");
  }
  summary() {
    return this.page.getByRole("region", { name: "Summary" });
  }
  summaryValue(label: string) {
    return this.summary().locator(`dt:text-is("${label}") + dd`);
  }
  /** A summary card of one of several meters shown. */
  meterSummaryValue(meter: string, label: string) {
    return this.summary().getByRole("group", { name: meter, exact: true }).locator(`dt:text-is("${label}") + dd`);
  }
  meterPicker() {
    return this.page.getByRole("group", { name: "Meters", exact: true });
  }
  meterBox(name: string) {
    return this.meterPicker().getByRole("checkbox", { name: new RegExp(`^${name} [\\d,]+ readings?$`) });
  }
  meterFilter() {
    return this.page.getByRole("searchbox", { name: "Filter meters by name" });
  }
  tableChoice(label: string) {
    return this.page.getByRole("group", { name: "The table lists" }).getByRole("radio", { name: label, exact: true });
  }
  /** The chart's legend entries, one for each of its uPlot series, the time first. */
  legendEntries() {
    return this.page.locator(".u-legend .u-series");
  }
  table() {
    return this.page.getByRole("region", { name: /^Readings table/ });
  }
  row(time: string, value: string) {
    return this.table().getByRole("row", { name: `${time} ${value}`, exact: true });
  }

  /** Opens the page of the usual test server, or of `origin`. */
  async open(query = "", origin = "") {
    await this.page.goto(`${origin}/${query}`);
  }

  async expectLive(count: number, meterCount = 1) {
    await expect(this.status()).toHaveText(
      `Live by gRPC-Web stream: ${readingsText(count, meterCount)}; new readings appear as they are stored.`,
    );
  }

  async expectLoaded(count: number, source: string, meterCount = 1) {
    await expect(this.status()).toHaveText(`${readingsText(count, meterCount)} loaded by ${source}.`);
  }

  async showRange(start: string, end: string) {
    await this.startInput().fill(start);
    await this.endInput().fill(end);
    await this.page.getByRole("button", { name: "Show range" }).click();
  }

  /** Scrolls the virtual table so that the row at `index` (0-based) is on screen. */
  async scrollTableTo(index: number) {
    await this.table().evaluate((scroller, index) => {
      const rows = Number(scroller.querySelector("table")!.getAttribute("aria-rowcount")) - 1;
      scroller.scrollTop = (scroller.scrollHeight * index) / rows - scroller.clientHeight / 2;
    }, index);
  }
}
