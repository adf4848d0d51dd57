import { secretHash, type TokenEntry } from "../../src/access/tokens-file.js";

/** Tokens of the tests: each secret protects nothing but a temporary test store. */
export const testTokens = {
  reader: { secret: "reader-secret", read: ["flat-1", "flat-2"], ingest: [] as string[], metrics: false },
  ingester: { secret: "ingester-secret", read: ["flat-1"], ingest: ["flat-1"], metrics: false },
  everything: { secret: "everything-secret", read: ["*"], ingest: ["*"], metrics: true },
  foreign: { secret: "foreign-secret", read: ["flat-2"], ingest: ["flat-2"], metrics: false },
};

export type TestTokenName = keyof typeof testTokens;

/** The tokens as a tokens file holds them: hashes, never the secrets. */
export function testTokenEntries(): TokenEntry[] {
  return Object.entries(testTokens).map(([name, { secret, read, ingest, metrics }]) => ({ name, sha256: secretHash(secret), read, ingest, metrics }));
}

export function bearer(name: TestTokenName): { authorization: string } {
  return { authorization: `Bearer ${testTokens[name].secret}` };
}
