// Files as utilities and suppliers write them, made by the tests from readings.

export interface EspiReading {
  /** Epoch seconds. */
  start: number;
  value: string;
  /** Left out: the reading then follows the one before by the ReadingType's intervalLength. */
  noTimePeriod?: boolean;
}

export interface EspiMeterReading {
  uom?: number;
  power?: number;
  intervalLength?: number;
  flowDirection?: number;
  accumulationBehaviour?: number;
  /** IntervalBlocks, each its readings. */
  blocks: EspiReading[][];
}

export interface EspiUsagePoint {
  title: string;
  meterReadings: EspiMeterReading[];
}

export interface EspiFeedOptions {
  /** "espi:" for prefixed elements, "" for the espi namespace as the default inside content. */
  prefix: "espi:" | "";
  usagePoints: EspiUsagePoint[];
  localTime?: { tzOffset: number; dstOffset: number; dstStartRule: string; dstEndRule: string };
  /** Put each MeterReading's IntervalBlocks before its ReadingType, as some exports do. */
  blocksFirst?: boolean;
}

const resource = "https://utility.example/DataCustodian/espi/1_1/resource";

/** An Atom feed of ESPI entries, as a utility's Green Button "Download My Data" writes one. */
export function espiFeedText({ prefix, usagePoints, localTime, blocksFirst }: EspiFeedOptions): string {
  const e = (name: string, body: string) => `<${prefix}${name}>${body}</${prefix}${name}>`;
  const content = (body: string) => (prefix === "" ? `<content>${body.replace(/^<(\w+)/, '<$1 xmlns="http://naesb.org/espi"')}</content>` : `<content>${body}</content>`);
  const entry = (links: string, title: string, body: string) =>
    `  <entry>\n    <id>urn:uuid:${Math.abs(hash(links)).toString(16)}</id>\n${links}    <title>${title}</title>\n    ${content(body)}\n    <updated>2026-01-20T10:00:00Z</updated>\n  </entry>\n`;
  const link = (rel: string, href: string) => `    <link rel="${rel}" href="${resource}/${href}"/>\n`;
  const root = prefix === "" ? `<feed xmlns="http://www.w3.org/2005/Atom">` : `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">`;
  let text = `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n  <id>urn:uuid:feed</id>\n  <title>Green Button Usage Feed</title>\n  <updated>2026-01-20T10:00:00Z</updated>\n`;
  if (localTime !== undefined) {
    text += entry(
      link("self", "LocalTimeParameters/1"),
      "DST For North America",
      e("LocalTimeParameters", e("dstEndRule", localTime.dstEndRule) + e("dstOffset", String(localTime.dstOffset)) + e("dstStartRule", localTime.dstStartRule) + e("tzOffset", String(localTime.tzOffset))),
    );
  }
  let readingType = 0;
  usagePoints.forEach((point, p) => {
    const pointPath = `RetailCustomer/9/UsagePoint/${p + 1}`;
    text += entry(link("self", pointPath) + link("related", `${pointPath}/MeterReading`), point.title, e("UsagePoint", e("ServiceCategory", e("kind", "0"))));
    point.meterReadings.forEach((reading, m) => {
      const readingPath = `${pointPath}/MeterReading/${m + 1}`;
      const typePath = `ReadingType/${++readingType}`;
      const meterReadingEntry = entry(link("self", readingPath) + link("up", `${pointPath}/MeterReading`) + link("related", typePath), "Hourly Electricity Consumption", `<${prefix}MeterReading/>`);
      const typeEntry = entry(
        link("self", typePath),
        "Type of Meter Reading Data",
        e(
          "ReadingType",
          e("accumulationBehaviour", String(reading.accumulationBehaviour ?? 4)) +
            e("commodity", "1") +
            e("dataQualifier", "12") +
            e("flowDirection", String(reading.flowDirection ?? 1)) +
            e("intervalLength", String(reading.intervalLength ?? 3600)) +
            e("kind", "12") +
            e("powerOfTenMultiplier", String(reading.power ?? 0)) +
            e("timeAttribute", "0") +
            e("uom", String(reading.uom ?? 72)),
        ),
      );
      const blocks = reading.blocks
        .map((readings, b) =>
          entry(
            link("self", `${readingPath}/IntervalBlock/${b + 1}`) + link("up", `${readingPath}/IntervalBlock`),
            "",
            e(
              "IntervalBlock",
              e("interval", e("duration", String(readings.length * (reading.intervalLength ?? 3600))) + e("start", String(readings[0]?.start ?? 0))) +
                readings
                  .map(({ start, value, noTimePeriod }) =>
                    `\n      ` + e("IntervalReading", (noTimePeriod ? "" : e("timePeriod", e("duration", String(reading.intervalLength ?? 3600)) + e("start", String(start)))) + e("value", value)),
                  )
                  .join("") +
                "\n    ",
            ),
          ),
        )
        .join("");
      text += blocksFirst ? meterReadingEntry + blocks + typeEntry : meterReadingEntry + typeEntry + blocks;
    });
  });
  return `${text}</feed>\n`;
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  return h;
}

/** Hourly readings from `start` (epoch seconds), a day a block, with values made from their index. */
export function hourlyBlocks(start: number, hours: number, value: (i: number) => string, perBlock = 24): EspiReading[][] {
  const blocks: EspiReading[][] = [];
  for (let i = 0; i < hours; i++) {
    if (i % perBlock === 0) blocks.push([]);
    blocks.at(-1)!.push({ start: start + i * 3600, value: value(i) });
  }
  return blocks;
}

/** A Green Button "Download My Data" CSV: the utility's preamble, then its header and rows. */
export function greenButtonCsvText(header: string, rows: string[]): string {
  return `\uFEFFName,JANE DOE\nAddress,"12 ELM ST, SPRINGFIELD IL 62704"\nAccount Number,3001234567\nService,Service 1\n\n${header}\n${rows.join("\n")}\n`;
}

/** An Octopus Energy consumption page, newest first as the API returns them. */
export function octopusPage(results: { start: string; end: string; consumption: number | null }[], next: string | null = null): object {
  return {
    count: results.length,
    next,
    previous: null,
    results: results.map(({ start, end, consumption }) => ({ consumption, interval_start: start, interval_end: end })),
  };
}
