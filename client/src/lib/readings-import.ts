/** What POST /api/readings answers about a file: with dry_run, what it holds; else also how much was stored. */
export interface ImportAnswer {
  format: string;
  meters: { meter: string; count: number; firstTime: string | null; lastTime: string | null; unit: string | null; origin: string | null }[];
  notes: string[];
  stored?: number;
  alreadyStored?: number;
}

/**
 * The content type a file is sent as, from its first characters, as the service tells formats
 * apart: XML is a Green Button feed, JSON today's readings or Octopus pages, anything else CSV.
 */
export function bodyType(start: Uint8Array): string {
  const text = new TextDecoder().decode(start).replace(/^\uFEFF/, "").trimStart();
  if (text.startsWith("<")) return "application/xml";
  if (text.startsWith("{") || text.startsWith("[")) return "application/json";
  return "text/csv";
}

/** The query of an import: the file's name names the meter of a file that names none, and the zone reads a Green Button CSV's local times. */
export function importQuery(fileName: string, timeZone: string, dryRun: boolean): URLSearchParams {
  const query = new URLSearchParams({ file: fileName });
  if (timeZone.trim() !== "") query.set("tz", timeZone.trim());
  if (dryRun) query.set("dry_run", "1");
  return query;
}
