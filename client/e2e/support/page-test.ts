import { test as base, expect } from "@playwright/test";

export { expect };

export interface ConsoleWatch {
  /**
   * Lets console errors matching `pattern` through. Only the browser's own network lines
   * ("Failed to load resource: ...") need this, in tests that make requests fail on purpose:
   * the page cannot keep Chromium from writing them.
   */
  allow(pattern: RegExp): void;
}

/** Every test fails if the page writes an error to the console or throws one it does not catch. */
export const test = base.extend<{ consoleWatch: ConsoleWatch }>({
  consoleWatch: [
    async ({ page }, use) => {
      const allowed: RegExp[] = [];
      const errors: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error" && !allowed.some((pattern) => pattern.test(message.text()))) {
          errors.push(message.text());
        }
      });
      page.on("pageerror", (error) => errors.push(`uncaught: ${error.stack ?? error.message}`));
      await use({ allow: (pattern) => allowed.push(pattern) });
      expect(errors, "errors in the browser console").toEqual([]);
    },
    { auto: true },
  ],
});
