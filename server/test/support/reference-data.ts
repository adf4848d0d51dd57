/** What the bundled meterusage.csv holds, checked by hand against the file. */
export const referenceData = {
  count: 2975,
  valueCount: 2974,
  first: { time: "2019-01-01T00:15:00Z", value: 55.09 },
  last: { time: "2019-01-31T23:45:00Z", value: 54.36 },
  missingTime: "2019-01-17T02:45:00Z",
  min: 45.6,
  max: 355.44,
} as const;
