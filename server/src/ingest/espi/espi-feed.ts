import type { Meter } from "../../meters/meter.js";
import type { Reading, TimeRange } from "../../readings/reading.js";
import { formatTimestamp } from "../../readings/timestamp-text.js";
import type { ReadingStore } from "../../store/reading-store.js";
import { LocalTimeReader } from "../green-button-csv/local-time-reader.js";
import { utcOffset } from "../../usage/zone-offsets.js";
import { zoneTimeParameters } from "./dst-rule.js";
import { EspiExportError } from "./espi-export-error.js";
import { atomNamespace, deltaDataBehaviour, espiNamespace, espiUnits, forwardFlow, type EspiUnit } from "./espi-units.js";
import { decimalOf, scaledInteger, type Decimal } from "./exact-decimal.js";

const batchSize = 4096;
const day = 86_400_000;
/** ESPI values are 48-bit integers: at most 14 decimal digits are always safe. */
const mostDigits = 14;
const base = "/espi/1_1/resource";
const usagePoint = `${base}/UsagePoint/1`;
const meterReading = `${usagePoint}/MeterReading/1`;

/** What a first pass over the readings finds: the power of ten that makes every value a whole number, and the usual interval. */
interface FeedPlan {
  unit: EspiUnit;
  power: number;
  intervalSeconds: number;
  count: number;
  lastTime?: number;
}

/**
 * A meter's readings of a range as a Green Button ESPI feed: its UsagePoint (titled with the
 * meter's name, so the feed imports back to the same meter), LocalTimeParameters for its
 * zone, one MeterReading with its ReadingType, and an IntervalBlock a local day, each reading
 * an IntervalReading with its timePeriod and an integer value, one powerOfTenMultiplier for
 * all of them chosen so that every value is exact (kWh written as Wh, uom 72). Missing
 * readings are left out. Reads the readings twice, a batch at a time, holding none of them.
 */
export async function* espiFeed(store: ReadingStore, meter: Meter, range: TimeRange, now = Date.now()): AsyncGenerator<string> {
  const plan = await planFeed(store, meter, range);
  const updated = formatTimestamp(Math.floor(now / 1000) * 1000);
  const zone = meter.timeZone;
  const time = zoneTimeParameters(zone, plan.lastTime ?? now);
  const entry = (self: string, links: string, title: string, content: string) =>
    `<entry><id>urn:meterusage:${escape(meter.name)}${self.slice(base.length)}</id><link rel="self" href="${self}"/>${links}<title>${escape(title)}</title><content>${content}</content><updated>${updated}</updated></entry>\n`;

  yield `<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="${atomNamespace}" xmlns:espi="${espiNamespace}">\n`;
  yield `<id>urn:meterusage:${escape(meter.name)}</id><title>meterusage readings of ${escape(meter.name)}</title><updated>${updated}</updated>\n`;
  yield entry(
    usagePoint,
    `<link rel="related" href="${usagePoint}/MeterReading"/><link rel="related" href="${base}/LocalTimeParameters/1"/>`,
    meter.name,
    `<espi:UsagePoint><espi:ServiceCategory><espi:kind>${plan.unit.commodity === 1 ? 0 : 1}</espi:kind></espi:ServiceCategory></espi:UsagePoint>`,
  );
  yield entry(
    `${base}/LocalTimeParameters/1`,
    "",
    zone,
    `<espi:LocalTimeParameters><espi:dstEndRule>${time.dstEndRule}</espi:dstEndRule><espi:dstOffset>${time.dstOffset}</espi:dstOffset>` +
      `<espi:dstStartRule>${time.dstStartRule}</espi:dstStartRule><espi:tzOffset>${time.tzOffset}</espi:tzOffset></espi:LocalTimeParameters>`,
  );
  yield entry(
    meterReading,
    `<link rel="up" href="${usagePoint}/MeterReading"/><link rel="related" href="${meterReading}/IntervalBlock"/><link rel="related" href="${base}/ReadingType/1"/>`,
    `${meter.name} readings`,
    "<espi:MeterReading/>",
  );
  yield entry(
    `${base}/ReadingType/1`,
    "",
    `${meter.name} ${plan.unit.unit}`,
    `<espi:ReadingType><espi:accumulationBehaviour>${deltaDataBehaviour}</espi:accumulationBehaviour><espi:commodity>${plan.unit.commodity}</espi:commodity>` +
      `<espi:dataQualifier>12</espi:dataQualifier><espi:flowDirection>${forwardFlow}</espi:flowDirection><espi:intervalLength>${plan.intervalSeconds}</espi:intervalLength>` +
      `<espi:kind>12</espi:kind><espi:powerOfTenMultiplier>${plan.power}</espi:powerOfTenMultiplier><espi:uom>${plan.unit.uom}</espi:uom></espi:ReadingType>`,
  );

  const local = new LocalTimeReader(zone);
  let block: string[] = [];
  let blockDay: number | undefined;
  let blockNumber = 0;
  const endBlock = () => {
    const start = midnight(local, blockDay!, zone);
    const end = midnight(local, blockDay! + 1, zone);
    blockNumber++;
    return entry(
      `${meterReading}/IntervalBlock/${blockNumber}`,
      `<link rel="up" href="${meterReading}/IntervalBlock"/>`,
      `${meter.name} ${formatTimestamp(blockDay! * day).slice(0, 10)}`,
      `<espi:IntervalBlock><espi:interval><espi:duration>${(end - start) / 1000}</espi:duration><espi:start>${start / 1000}</espi:start></espi:interval>${block.join("")}</espi:IntervalBlock>`,
    );
  };
  for await (const batch of store.readBatches(meter.name, range, batchSize)) {
    let chunk = "";
    for (const { time, value } of batch) {
      if (value === null) continue;
      const localDay = Math.floor((time + utcOffset(zone, time)) / day);
      if (blockDay !== undefined && localDay !== blockDay) {
        chunk += endBlock();
        block = [];
      }
      blockDay = localDay;
      block.push(
        `<espi:IntervalReading><espi:timePeriod><espi:duration>${plan.intervalSeconds}</espi:duration><espi:start>${time / 1000}</espi:start></espi:timePeriod>` +
          `<espi:value>${scaledInteger(inUom(value, plan.unit), plan.power)}</espi:value></espi:IntervalReading>`,
      );
    }
    if (chunk !== "") yield chunk;
  }
  if (blockDay !== undefined) yield endBlock();
  yield "</feed>\n";
}

async function planFeed(store: ReadingStore, meter: Meter, range: TimeRange): Promise<FeedPlan> {
  const unit = espiUnits.find((candidate) => candidate.unit === meter.unit);
  if (unit === undefined) {
    const has = meter.unit === "" ? "has no unit" : `is in ${JSON.stringify(meter.unit)}`;
    throw new EspiExportError(
      `the meter ${meter.name} ${has}: an ESPI feed holds kWh, m3 or therm (uom 72, 42 or 169); set the unit with meterusage meters set ${meter.name} --unit kWh`,
    );
  }
  let power = 0;
  let count = 0;
  let lastTime: number | undefined;
  const intervals = new Map<number, number>();
  for await (const batch of store.readBatches(meter.name, range, batchSize)) {
    for (const { time, value } of batch as Reading[]) {
      if (value === null) continue;
      if (time % 1000 !== 0) throw new EspiExportError(`the reading of meter ${meter.name} at ${formatTimestamp(time)} is not at a whole second, as ESPI times are`);
      const decimal = inUom(value, unit);
      if (decimal.exponent < power) power = decimal.exponent;
      if (lastTime !== undefined) intervals.set(time - lastTime, (intervals.get(time - lastTime) ?? 0) + 1);
      lastTime = time;
      count++;
    }
  }
  // A second look, now that the power is known: every value must fit ESPI's integers at it.
  for await (const batch of store.readBatches(meter.name, range, batchSize)) {
    for (const { time, value } of batch) {
      if (value === null) continue;
      const decimal = inUom(value, unit);
      if (decimal.digits.replace("-", "").length + decimal.exponent - power > mostDigits) {
        throw new EspiExportError(
          `the readings of meter ${meter.name} cannot all be written exactly with one powerOfTenMultiplier (${power}): the reading at ${formatTimestamp(time)}, ${value}, would need more than ${mostDigits} digits`,
        );
      }
    }
  }
  let usual = 3_600_000;
  let most = 0;
  for (const [interval, times] of intervals) {
    if (times > most || (times === most && interval < usual)) [usual, most] = [interval, times];
  }
  return { unit, power, intervalSeconds: Math.round(usual / 1000), count, lastTime };
}

/** A stored value as a decimal in the feed's uom: kWh as Wh. */
function inUom(value: number, unit: EspiUnit): Decimal {
  const decimal = decimalOf(value);
  return decimal.digits === "0" ? decimal : { digits: decimal.digits, exponent: decimal.exponent - unit.toUnitPower };
}

/** The instant a local day starts: its midnight, or where a clock change skips midnight, the first time after it. */
function midnight(local: LocalTimeReader, localDay: number, zone: string): number {
  const [first] = local.instants(localDay * day);
  if (first !== undefined) return first;
  const guess = localDay * day - utcOffset(zone, localDay * day);
  return guess;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}
