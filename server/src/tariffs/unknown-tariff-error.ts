/** Thrown when a request names a tariff the store does not have. */
export class UnknownTariffError extends Error {
  constructor(readonly tariff: string) {
    super(`there is no tariff ${JSON.stringify(tariff)}`);
    this.name = "UnknownTariffError";
  }
}
