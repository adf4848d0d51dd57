/**
 * The third test server (see playwright.config.ts), started with support/tokens.json: every
 * request needs a token. The secret is a test fixture whose hash is in that file.
 */
export const tokensService = {
  origin: `http://127.0.0.1:${process.env.METERUSAGE_E2E_TOKENS_PORT}`,
  reader: { name: "e2e-reader", secret: "e2e-reader-secret" },
};
