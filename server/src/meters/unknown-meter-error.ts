/** Thrown when a read names a meter the store has never received a reading for. */
export class UnknownMeterError extends Error {
  constructor(readonly meter: string) {
    super(`there is no meter ${JSON.stringify(meter)}`);
    this.name = "UnknownMeterError";
  }
}
