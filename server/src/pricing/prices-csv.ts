import { parseTimestamp, timestampFormatHint } from "../readings/timestamp-text.js";
import { checkPrices } from "./check-tariff.js";
import { InvalidTariffError } from "../tariffs/invalid-tariff-error.js";
import type { Price } from "../tariffs/tariff.js";

/**
 * Prices from a CSV of `start,end,price` (a header line first), such as a day of half-hourly
 * prices; a bad row is an error naming its line, and nothing is stored.
 */
export function pricesFromCsv(text: string): Price[] {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.replace(/^\uFEFF/, "").trim().toLowerCase().split(",").map((name) => name.trim());
  if (header === undefined || header.join(",") !== "start,end,price") {
    throw new InvalidTariffError("line 1", 'is not the header "start,end,price"');
  }
  const rows: { start?: number; end?: number; price: number; line: number }[] = [];
  lines.slice(1).forEach((line, index) => {
    const number = index + 2;
    if (line.trim() === "") return;
    const cells = line.split(",").map((cell) => cell.trim());
    if (cells.length !== 3) throw new InvalidTariffError(`line ${number}`, `has ${cells.length} fields, not the 3 of start,end,price`);
    const [start, end] = cells.slice(0, 2).map((cell, column) => {
      const time = parseTimestamp(cell);
      if (time === undefined) throw new InvalidTariffError(`line ${number}`, `the ${column === 0 ? "start" : "end"} ${JSON.stringify(cell)} is not a time: ${timestampFormatHint}`);
      return time;
    });
    const price = cells[2] === "" ? Number.NaN : Number(cells[2]);
    if (!Number.isFinite(price)) throw new InvalidTariffError(`line ${number}`, `the price ${JSON.stringify(cells[2])} is not a number`);
    rows.push({ start, end, price, line: number });
  });
  return checkPrices(rows, (index, name) => `line ${rows[index].line} (${name})`);
}
