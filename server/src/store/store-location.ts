/** A postgres:// or postgresql:// URL names a PostgreSQL database; anything else is an SQLite file. */
export function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/** The location as logs and messages may show it: a URL's password is hidden. */
export function shownLocation(location: string): string {
  return isPostgresUrl(location) ? location.replace(/^([^:]+:\/\/[^:@/]*:)[^@]*@/, "$1***@") : location;
}
