import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  ListTariffsResponseSchema,
  PutPricesResponseSchema,
  PutTariffResponseSchema,
  type MeterUsageService,
} from "../../../gen/meterusage/v1/meterusage_pb.js";
import { maxReadingsPerRequest } from "../ingest/ingest-limits.js";
import type { ReadingStore } from "../store/reading-store.js";
import { checkPrices, checkTariffName } from "../pricing/check-tariff.js";
import { InvalidTariffError } from "../tariffs/invalid-tariff-error.js";
import type { Price } from "../tariffs/tariff.js";
import { callerGrant } from "./authenticate-rpc.js";
import { millisOf } from "./range-from-request.js";
import { tariffFromMessage, tariffMessage } from "./tariff-messages.js";

type TariffRpcs = Pick<ServiceImpl<typeof MeterUsageService>, "putTariff" | "listTariffs" | "putPrices">;

/** PutTariff, ListTariffs and PutPrices: checked by the tariffs room, stored by the store's tariffs. */
export function tariffRpcs(store: ReadingStore): TariffRpcs {
  return {
    async putTariff(request, context) {
      callerGrant(context.values).checkTariffs();
      const tariff = tariffFromMessage(request.tariff);
      await store.tariffs.putTariff(tariff);
      return create(PutTariffResponseSchema, { tariff: tariffMessage(tariff) });
    },

    async listTariffs() {
      return create(ListTariffsResponseSchema, { tariffs: (await store.tariffs.tariffs()).map(tariffMessage) });
    },

    async putPrices(requests, context) {
      callerGrant(context.values).checkTariffs();
      let tariff: string | undefined;
      const prices: Price[] = [];
      for await (const request of requests) {
        if (tariff !== undefined && request.tariff !== tariff && request.tariff !== "") {
          throw new InvalidTariffError("tariff", `every message of a call names the same tariff: ${JSON.stringify(tariff)}, then ${JSON.stringify(request.tariff)}`);
        }
        tariff ??= request.tariff === "" ? undefined : checkTariffName(request.tariff, "tariff");
        const first = prices.length;
        const checked = checkPrices(
          request.prices.map(({ start, end, price }, index) => ({
            start: start && millisOf(start, `prices[${first + index}].start`),
            end: end && millisOf(end, `prices[${first + index}].end`),
            price,
          })),
          (index, name) => `prices[${first + index}].${name}`,
        );
        prices.push(...checked);
        if (prices.length > maxReadingsPerRequest) throw new InvalidTariffError("prices", `one call may carry at most ${maxReadingsPerRequest} prices`);
      }
      if (tariff === undefined) throw new InvalidTariffError("tariff", "is needed: the name of the tariff the prices belong to");
      return create(PutPricesResponseSchema, { stored: BigInt(await store.tariffs.putPrices(tariff, prices)) });
    },
  };
}
