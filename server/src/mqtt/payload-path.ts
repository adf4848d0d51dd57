/** A dotted path into a JSON payload ("ENERGY.Total", "emeters.0.total"), or "$" for the payload itself. */
export type PayloadPath = string;

/** The value at a path, or undefined when the payload has nothing there. */
export function valueAt(payload: unknown, path: PayloadPath): unknown {
  if (path === "$") return payload;
  let value = payload;
  for (const key of path.split(".")) {
    if (value === null || typeof value !== "object") return undefined;
    value = Array.isArray(value) ? (/^\d+$/.test(key) ? value[Number(key)] : undefined) : (value as Record<string, unknown>)[key];
  }
  return value;
}

/** A JSON number, or a string that is one (many devices send "1234.5"); undefined otherwise. */
export function finiteNumber(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value === "string" && value.trim() !== "") {
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  }
  return undefined;
}
