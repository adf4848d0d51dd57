/** The service's rule for meter names: safe in addresses, file names and CSV headers as they are. */
const namePattern = /^[A-Za-z0-9._:-]{1,128}$/;

/** More lines than this in one chart, or columns in one table, no longer read apart. */
export const maxShownMeters = 8;

export function isMeterName(name: string): boolean {
  return namePattern.test(name);
}
