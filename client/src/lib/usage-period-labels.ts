import type { Day } from "./usage-calendar.js";
import type { UsagePeriod } from "./usage-url-state.js";
import type { ZoneClock } from "./usage-zone-clock.js";

const weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const hourMs = 3_600_000;
const usualHours: Partial<Record<UsagePeriod, number>> = { day: 24, week: 168 };

/** How a period reads: in full for the table and the readout, short under its bar. */
export interface PeriodLabel {
  label: string;
  tick: string;
  /** Minutes since local midnight at the period's start, so that hour ticks can fall on round hours. */
  wallMinute: number;
}

/**
 * Names a period in the zone's local time. Built from the wall clock rather than Intl's own
 * wording, which differs between browsers. A day or week whose clocks changed says how many
 * hours it had, and an hour names its zone abbreviation, which tells the two 01:00s of an
 * autumn night apart.
 */
export function periodLabel(period: UsagePeriod, clock: ZoneClock, start: number, end: number): PeriodLabel {
  const { day, minute } = clock.wallClock(start);
  const date = new Date(day * 24 * hourMs);
  const { dayMonth, fullDate } = dateNames(day);
  const hours = Math.round((end - start) / hourMs);
  const hoursNote = usualHours[period] !== undefined && hours !== usualHours[period] ? ` (${hours} hours)` : "";
  switch (period) {
    case "hour": {
      const clockText = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
      const tick = minute === 0 ? dayMonth : clockText;
      return { label: `${fullDate} ${clockText} ${zoneAbbreviation(clock.timeZone, start)}`, tick, wallMinute: minute };
    }
    case "day":
      return { label: fullDate + hoursNote, tick: dayMonth, wallMinute: minute };
    case "week":
      return { label: `Week of ${fullDate}${hoursNote}`, tick: dayMonth, wallMinute: minute };
    case "month":
      return { label: `${monthNames[date.getUTCMonth()]} ${date.getUTCFullYear()}`, tick: monthNames[date.getUTCMonth()], wallMinute: minute };
  }
}

/** A local date as "31 Mar", "Sun 31 Mar" and "Sun 31 Mar 2019". */
export function dateNames(day: Day): { dayMonth: string; weekdayMonth: string; fullDate: string } {
  const date = new Date(day * 24 * hourMs);
  const dayMonth = `${date.getUTCDate()} ${monthNames[date.getUTCMonth()]}`;
  const weekdayMonth = `${weekdayNames[(date.getUTCDay() + 6) % 7]} ${dayMonth}`;
  return { dayMonth, weekdayMonth, fullDate: `${weekdayMonth} ${date.getUTCFullYear()}` };
}

function zoneAbbreviation(timeZone: string, time: number): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone, timeZoneName: "short" }).formatToParts(time);
  return parts.find(({ type }) => type === "timeZoneName")?.value ?? "";
}
