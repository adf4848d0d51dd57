const namePattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** Thrown for a meter name that breaks the naming rule; names the parameter it came in. */
export class InvalidMeterNameError extends Error {
  constructor(name: string, where: string) {
    super(`${where} ${JSON.stringify(name.length > 140 ? `${name.slice(0, 140)}…` : name)} is not a meter name: use 1 to 128 letters, digits or ._:-`);
    this.name = "InvalidMeterNameError";
  }
}

/**
 * Names are kept to characters that are safe in URLs, file names and CSV headers, so a meter
 * can be named anywhere without quoting.
 */
export function checkMeterName(name: string, where = "the meter"): string {
  if (!namePattern.test(name)) throw new InvalidMeterNameError(name, where);
  return name;
}

export function isMeterName(name: string): boolean {
  return namePattern.test(name);
}
