import type { TimeSpan } from "../../readings/tally.js";
import type { Price, Tariff } from "../../tariffs/tariff.js";
import type { TariffStore } from "../../tariffs/tariff-store.js";

/** The tariffs of a WatchedStore: their failures are said the way its readings' are. */
export class WatchedTariffs implements TariffStore {
  constructor(
    private readonly tariffStore: TariffStore,
    private readonly watched: <T>(answer: Promise<T>) => Promise<T>,
  ) {}

  putTariff(tariff: Tariff): Promise<void> {
    return this.watched(this.tariffStore.putTariff(tariff));
  }

  tariffs(): Promise<Tariff[]> {
    return this.watched(this.tariffStore.tariffs());
  }

  tariff(name: string): Promise<Tariff | undefined> {
    return this.watched(this.tariffStore.tariff(name));
  }

  putPrices(tariff: string, prices: Price[]): Promise<number> {
    return this.watched(this.tariffStore.putPrices(tariff, prices));
  }

  prices(tariff: string, span: TimeSpan): Promise<Price[]> {
    return this.watched(this.tariffStore.prices(tariff, span));
  }

  setMeterTariff(meter: string, tariff: string): Promise<void> {
    return this.watched(this.tariffStore.setMeterTariff(meter, tariff));
  }

  meterTariffs(): Promise<Map<string, string>> {
    return this.watched(this.tariffStore.meterTariffs());
  }
}
