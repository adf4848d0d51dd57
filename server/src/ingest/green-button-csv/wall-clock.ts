import { CsvFormatError } from "../csv-format-error.js";

const isoDate = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;
const usDate = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
/** `0:00`, `00:00`, `00:00:00`, and the 12-hour `1:15 PM` (or `1:15 p.m.`) some utilities write. */
const clockTime = /^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?$/;

/**
 * Reads a Green Button CSV's DATE and START TIME as the wall-clock time they write, in
 * milliseconds as if it were UTC. The last date read is kept: a file holds dozens of rows a
 * day, and a 24-hour time is read from its characters without a regular expression.
 */
export class WallClockReader {
  private lastDateText = "";
  private lastDay = 0;

  read(dateText: string, timeText: string, line: number): number {
    if (dateText !== this.lastDateText) {
      this.lastDay = dayOf(dateText, timeText, line);
      this.lastDateText = dateText;
    }
    const clock = quickClock(timeText);
    return this.lastDay + (Number.isNaN(clock) ? slowClock(dateText, timeText, line) : clock);
  }
}

/** The date's midnight, or an error naming the line. */
function dayOf(dateText: string, timeText: string, line: number): number {
  const iso = isoDate.exec(dateText);
  const us = iso === null ? usDate.exec(dateText) : null;
  const [year, month, date] = iso !== null ? [iso[1], iso[2], iso[3]].map(Number) : us !== null ? [us[3], us[1], us[2]].map(Number) : [];
  if (year === undefined) throw new CsvFormatError(line, `cannot read the date ${JSON.stringify(dateText)}: expected 2026-01-15 or 1/15/2026`);
  const midnight = Date.UTC(year, month - 1, date);
  const check = new Date(midnight);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) throw new CsvFormatError(line, `${dateText} ${timeText} is not a date and time`);
  return midnight;
}

/** `H:MM` or `HH:MM` (and `:SS`) of a 24-hour clock as milliseconds into the day; NaN for anything else. */
function quickClock(text: string): number {
  const colon = text.length === 4 || text.length === 7 ? 1 : text.length === 5 || text.length === 8 ? 2 : -1;
  if (colon === -1 || text.charCodeAt(colon) !== 58) return NaN;
  const hours = colon === 1 ? digit(text, 0) : digit(text, 0) * 10 + digit(text, 1);
  const minutes = digit(text, colon + 1) * 10 + digit(text, colon + 2);
  let seconds = 0;
  if (text.length > colon + 3) {
    if (text.charCodeAt(colon + 3) !== 58) return NaN;
    seconds = digit(text, colon + 4) * 10 + digit(text, colon + 5);
  }
  return hours <= 23 && minutes <= 59 && seconds <= 59 ? ((hours * 60 + minutes) * 60 + seconds) * 1000 : NaN;
}

/** The digit at `at`, or NaN. */
function digit(text: string, at: number): number {
  const code = text.charCodeAt(at) - 48;
  return code >= 0 && code <= 9 ? code : NaN;
}

/** Any other time, 12-hour ones among them, or an error naming the line. */
function slowClock(dateText: string, timeText: string, line: number): number {
  const clock = clockTime.exec(timeText);
  if (clock === null) throw new CsvFormatError(line, `cannot read the start time ${JSON.stringify(timeText)}: expected 0:00 or 00:00 (or 1:15 PM)`);
  let hours = Number(clock[1]);
  const [minutes, seconds] = [Number(clock[2]), Number(clock[3] ?? "0")];
  const half = clock[4]?.toUpperCase();
  if (half !== undefined) {
    if (hours < 1 || hours > 12) throw new CsvFormatError(line, `${dateText} ${timeText} is not a date and time: a 12-hour clock goes from 12:00 AM to 11:59 PM`);
    hours = (hours % 12) + (half === "P" ? 12 : 0);
  }
  if (hours > 23 || minutes > 59 || seconds > 59) throw new CsvFormatError(line, `${dateText} ${timeText} is not a date and time`);
  return ((hours * 60 + minutes) * 60 + seconds) * 1000;
}
