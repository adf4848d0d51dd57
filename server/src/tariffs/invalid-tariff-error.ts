/** Thrown for a tariff or price that cannot be stored; names the field at fault. */
export class InvalidTariffError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "InvalidTariffError";
  }
}
