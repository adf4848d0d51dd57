import assert from "node:assert/strict";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, createClient } from "@connectrpc/connect";
import { pino } from "pino";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { IngestTokenPolicy } from "../src/access/ingest-token-policy.js";
import { startApp, type RunningApp } from "../src/app.js";
import { builtPage } from "../src/package-paths.js";
import { refusal } from "./support/refusal.js";
import { storeKinds, type TestStore } from "./support/store-kinds.js";
import { everyTransport } from "./support/transports.js";

const token = "prices-token";
const writer = { authorization: `Bearer ${token}` };
const at = (text: string) => Date.parse(text);
const price = (start: string, end: string, value: number) => ({ start: timestampFromMs(at(start)), end: timestampFromMs(at(end)), price: value });

// Which price holds a time must be plain: a put whose prices overlap each other, or overlap a
// stored price of another start, is refused whole, on every store and every protocol.
for (const kind of storeKinds()) {
  describe(`PutPrices over the wire on the ${kind.name} store refuses prices that overlap`, { skip: kind.skip }, () => {
    let opened: TestStore;
    let app: RunningApp;
    let baseUrl: string;
    before(async () => {
      opened = await kind.open();
      app = await startApp({ store: opened.store, staticRoot: builtPage, port: 0, host: "127.0.0.1", logger: pino({ level: "silent" }), access: new IngestTokenPolicy(token) });
      baseUrl = `http://127.0.0.1:${app.port}`;
      await opened.store.tariffs.putTariff({ name: "agile", currency: "GBP", timeZone: "Europe/London", versions: [{ validFrom: at("2019-01-01T00:00:00Z"), standingChargePerDay: 0, rates: [], dynamic: true }] });
      // 00:00-01:00 and 02:00-02:30 on the 1st of January 2020.
      await opened.store.tariffs.putPrices("agile", [
        { start: at("2020-01-01T00:00:00Z"), end: at("2020-01-01T01:00:00Z"), price: 0.1 },
        { start: at("2020-01-01T02:00:00Z"), end: at("2020-01-01T02:30:00Z"), price: 0.2 },
      ]);
    });
    after(async () => {
      await app.shutdown();
      await opened.close();
    });

    const stored = async () => (await opened.store.tariffs.prices("agile", { start: at("2019-12-31T00:00:00Z"), end: at("2020-01-03T00:00:00Z") })).map(({ start, end, price }) => [new Date(start).toISOString(), new Date(end).toISOString(), price]);
    const before2020 = [
      ["2020-01-01T00:00:00.000Z", "2020-01-01T01:00:00.000Z", 0.1],
      ["2020-01-01T02:00:00.000Z", "2020-01-01T02:30:00.000Z", 0.2],
    ];

    for (const [name, makeTransport] of everyTransport) {
      it(`refuses, as InvalidArgument naming both prices, prices overlapping each other or a stored one, storing none of the call's, over ${name}`, async () => {
        const client = createClient(MeterUsageService, makeTransport(baseUrl));
        const put = (...prices: ReturnType<typeof price>[]) => refusal(client.putPrices((async function* () { yield { tariff: "agile", prices }; })(), { headers: writer }));
        const cases: [ReturnType<typeof price>[], string][] = [
          [
            [price("2020-01-02T00:00:00Z", "2020-01-02T01:00:00Z", 1), price("2020-01-02T00:30:00Z", "2020-01-02T01:30:00Z", 2)],
            "prices: the price from 2020-01-02T00:00:00Z to 2020-01-02T01:00:00Z overlaps the price from 2020-01-02T00:30:00Z to 2020-01-02T01:30:00Z: each time has one price, so nothing was stored",
          ],
          [
            [price("2020-01-01T01:00:00Z", "2020-01-01T01:30:00Z", 1), price("2020-01-01T00:30:00Z", "2020-01-01T01:00:00Z", 2)],
            "prices: the price from 2020-01-01T00:30:00Z to 2020-01-01T01:00:00Z overlaps the stored price from 2020-01-01T00:00:00Z to 2020-01-01T01:00:00Z: each time has one price, so nothing was stored",
          ],
          [
            [price("2020-01-01T01:00:00Z", "2020-01-01T03:00:00Z", 1)],
            "prices: the price from 2020-01-01T01:00:00Z to 2020-01-01T03:00:00Z overlaps the stored price from 2020-01-01T02:00:00Z to 2020-01-01T02:30:00Z: each time has one price, so nothing was stored",
          ],
          [
            [price("2019-12-31T23:00:00Z", "2020-01-02T00:00:00Z", 1), price("2020-01-02T00:00:00Z", "2020-01-02T00:30:00Z", 2)],
            "prices: the price from 2019-12-31T23:00:00Z to 2020-01-02T00:00:00Z overlaps the stored price from 2020-01-01T00:00:00Z to 2020-01-01T01:00:00Z: each time has one price, so nothing was stored",
          ],
        ];
        for (const [prices, message] of cases) {
          const error = await put(...prices);
          assert.deepEqual([error.code, error.rawMessage], [Code.InvalidArgument, message]);
          assert.deepEqual(await stored(), before2020);
        }
      });
    }

    it("still replaces a stored price by one of the same start, whose neighbours may then take the time it gave up", async () => {
      const client = createClient(MeterUsageService, everyTransport[0][1](baseUrl));
      const prices = [price("2020-01-01T00:00:00Z", "2020-01-01T00:30:00Z", 0.3), price("2020-01-01T00:30:00Z", "2020-01-01T01:00:00Z", 0.4), price("2020-01-01T01:00:00Z", "2020-01-01T02:00:00Z", 0.5)];
      const { stored: count } = await client.putPrices((async function* () { yield { tariff: "agile", prices }; })(), { headers: writer });
      assert.equal(count, 3n);
      assert.deepEqual(await stored(), [
        ["2020-01-01T00:00:00.000Z", "2020-01-01T00:30:00.000Z", 0.3],
        ["2020-01-01T00:30:00.000Z", "2020-01-01T01:00:00.000Z", 0.4],
        ["2020-01-01T01:00:00.000Z", "2020-01-01T02:00:00.000Z", 0.5],
        ["2020-01-01T02:00:00.000Z", "2020-01-01T02:30:00.000Z", 0.2],
      ]);
    });

    it("POST /api/tariffs/NAME/prices answers 400 naming both prices and stores nothing, for CSV and JSON", async () => {
      const before = await stored();
      const post = (body: string, type: string) => fetch(`${baseUrl}/api/tariffs/agile/prices`, { method: "POST", body, headers: { "content-type": type, ...writer } });
      const csv = await post("start,end,price\n2020-01-02T00:00:00Z,2020-01-02T00:30:00Z,0.1\n2020-01-01T02:15:00Z,2020-01-01T02:45:00Z,0.1\n", "text/csv");
      assert.deepEqual([csv.status, await csv.json()], [
        400,
        { error: "prices: the price from 2020-01-01T02:15:00Z to 2020-01-01T02:45:00Z overlaps the stored price from 2020-01-01T02:00:00Z to 2020-01-01T02:30:00Z: each time has one price, so nothing was stored" },
      ]);
      const json = await post(JSON.stringify({ prices: [{ start: "2020-01-02T00:00:00Z", end: "2020-01-02T01:00:00Z", price: 1 }, { start: "2020-01-02T00:59:00Z", end: "2020-01-02T02:00:00Z", price: 1 }] }), "application/json");
      assert.deepEqual([json.status, await json.json()], [
        400,
        { error: "prices: the price from 2020-01-02T00:00:00Z to 2020-01-02T01:00:00Z overlaps the price from 2020-01-02T00:59:00Z to 2020-01-02T02:00:00Z: each time has one price, so nothing was stored" },
      ]);
      assert.deepEqual(await stored(), before);
      const touching = await post("start,end,price\n2020-01-01T01:00:00Z,2020-01-01T02:00:00Z,0.5\n2020-01-01T02:30:00Z,2020-01-01T03:00:00Z,0.6\n", "text/csv");
      assert.deepEqual([touching.status, await touching.json()], [200, { stored: 2 }], "prices that only meet do not overlap");
    });
  });
}
