/** The most readings one append request (one transaction) may carry. */
export const maxReadingsPerRequest = 100_000;

/** The largest body POST /api/readings accepts; 100,000 readings as CSV take about 3 MB. */
export const maxRequestBytes = 8 * 1024 * 1024;
