import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { ReadingStore } from "../src/store/reading-store.js";
import { PostgresStore } from "../src/store/postgres/postgres-store.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import type { Price } from "../src/tariffs/tariff.js";
import { storeKinds, type TestStore } from "./support/store-kinds.js";

const halfHour = 30 * 60_000;
const span = { start: Date.UTC(2019, 0, 1), end: Date.UTC(2019, 0, 2) };
const day = (price: number): Price[] => Array.from({ length: 48 }, (_, i) => ({ start: span.start + i * halfHour, end: span.start + (i + 1) * halfHour, price }));

for (const kind of storeKinds()) {
  describe(`tariffs' prices and meters' tariffs read again in the ${kind.name} store`, { skip: kind.skip }, () => {
    let opened: TestStore;
    let store: ReadingStore;
    before(async () => {
      opened = await kind.open();
      store = opened.store;
      await store.tariffs.putTariff({ name: "agile", currency: "GBP", timeZone: "Europe/London", versions: [] });
      await store.tariffs.putPrices("agile", day(0.1));
      await store.appendReadings([{ meter: "flat-1", readings: [{ time: span.start, value: 1 }] }]);
    });
    after(() => opened.close());

    it("are the prices it stored since, whether this store or another one opening the same database put them", async () => {
      assert.deepEqual(await store.tariffs.prices("agile", span), day(0.1));
      await store.tariffs.putPrices("agile", day(0.2));
      assert.deepEqual(await store.tariffs.prices("agile", span), day(0.2));
      const other = kind.name === "SQLite" ? new SqliteStore(opened.location) : await PostgresStore.open(opened.location);
      try {
        await other.tariffs.putPrices("agile", day(-0.05));
        assert.deepEqual(await store.tariffs.prices("agile", span), day(-0.05));
        await other.tariffs.putPrices("agile", [{ start: span.start, end: span.start + halfHour, price: 0.3 }]);
        assert.deepEqual((await store.tariffs.prices("agile", span))[0], { start: span.start, end: span.start + halfHour, price: 0.3 });
      } finally {
        await other.close();
      }
    });

    it("are the meters' tariffs set since, whether this store or another one opening the same database set them", async () => {
      assert.equal((await store.tariffs.meterTariffs()).get("flat-1"), undefined);
      await store.tariffs.setMeterTariff("flat-1", "agile");
      assert.equal((await store.tariffs.meterTariffs()).get("flat-1"), "agile");
      const other = kind.name === "SQLite" ? new SqliteStore(opened.location) : await PostgresStore.open(opened.location);
      try {
        await other.tariffs.setMeterTariff("flat-1", "");
        assert.equal((await store.tariffs.meterTariffs()).get("flat-1"), undefined);
        await other.tariffs.setMeterTariff("flat-1", "agile");
        assert.equal((await store.tariffs.meterTariffs()).get("flat-1"), "agile");
      } finally {
        await other.close();
      }
    });
  });
}
