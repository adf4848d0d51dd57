import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { inputReadings } from "../src/ingest/input-readings.js";
import type { MeterReading } from "../src/readings/reading.js";
import { greenButtonCsvText } from "./support/meter-files.js";

const header = "TYPE,DATE,START TIME,END TIME,USAGE (kWh),COST,NOTES";
const dateStyles = ["iso", "us"] as const;
const timeStyles = ["H:MM", "HH:MM", "HH:MM:SS", "h:MM AM", "h:MM a.m."] as const;

function dateText(time: Date, style: (typeof dateStyles)[number]): string {
  const [y, m, d] = [time.getUTCFullYear(), time.getUTCMonth() + 1, time.getUTCDate()];
  return style === "iso" ? `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}` : `${m}/${d}/${y}`;
}

function timeText(time: Date, style: (typeof timeStyles)[number]): string {
  const [h, m, s] = [time.getUTCHours(), time.getUTCMinutes(), time.getUTCSeconds()];
  const two = (n: number) => String(n).padStart(2, "0");
  switch (style) {
    case "H:MM":
      return `${h}:${two(m)}`;
    case "HH:MM":
      return `${two(h)}:${two(m)}`;
    case "HH:MM:SS":
      return `${two(h)}:${two(m)}:${two(s)}`;
    case "h:MM AM":
      return `${h % 12 === 0 ? 12 : h % 12}:${two(m)} ${h < 12 ? "AM" : "PM"}`;
    case "h:MM a.m.":
      return `${h % 12 === 0 ? 12 : h % 12}:${two(m)} ${h < 12 ? "a.m." : "p.m."}`;
  }
}

async function readAll(text: string): Promise<MeterReading[]> {
  const { batches } = await inputReadings([text], { timeZone: "UTC", fileName: "usage.csv" });
  const readings: MeterReading[] = [];
  for await (const batch of batches) readings.push(...batch);
  return readings;
}

describe("Green Button CSV dates and times", () => {
  it("reads every way utilities write them: 2026-01-15 or 1/15/2026, 0:00, 00:00, 00:00:00, 1:15 PM", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ gap: fc.integer({ min: 1, max: 200_000 }), date: fc.constantFrom(...dateStyles), clock: fc.constantFrom(...timeStyles) }), { minLength: 1, maxLength: 60 }),
        async (rows) => {
          let time = Date.UTC(2024, 0, 1);
          const expected: number[] = [];
          const lines = rows.map(({ gap, date, clock }) => {
            // A whole minute unless the clock writes seconds.
            time += gap * (clock === "HH:MM:SS" ? 1000 : 60_000);
            if (clock !== "HH:MM:SS") time -= time % 60_000;
            expected.push(time);
            const at = new Date(time);
            return `Electric usage,${dateText(at, date)},${timeText(at, clock)},,0.5,$0.10,`;
          });
          assert.deepEqual(
            (await readAll(greenButtonCsvText(header, lines))).map(({ time: read }) => read),
            expected,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it("refuses a time no clock shows, naming its line", async () => {
    for (const [time, problem] of [
      ["24:00", /^line 8: 2026-01-15 24:00 is not a date and time$/],
      ["13:00 PM", /^line 8: 2026-01-15 13:00 PM is not a date and time: a 12-hour clock goes from 12:00 AM to 11:59 PM$/],
      ["noon", /^line 8: cannot read the start time "noon": expected 0:00 or 00:00 \(or 1:15 PM\)$/],
    ] as const) {
      const text = greenButtonCsvText(header, ["Electric usage,2026-01-15,0:00,0:59,1,,", `Electric usage,2026-01-15,${time},,1,,`]);
      await assert.rejects(readAll(text), (error: Error) => problem.test(error.message));
    }
    await assert.rejects(readAll(greenButtonCsvText(header, ["Electric usage,2/30/2026,0:00,0:59,1,,"])), /line 7: 2\/30\/2026 0:00 is not a date and time/);
  });
});
