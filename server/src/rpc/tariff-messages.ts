import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { RateSchema, TariffSchema, TariffVersionSchema, type Tariff as TariffMessage } from "../../../gen/meterusage/v1/meterusage_pb.js";
import { checkTariff } from "../pricing/check-tariff.js";
import type { Tariff } from "../tariffs/tariff.js";
import { millisOf } from "./range-from-request.js";

/** A request's tariff, checked; InvalidTariffError names the field in proto names under `tariff.`. */
export function tariffFromMessage(message: TariffMessage | undefined): Tariff {
  const tariff = message ?? create(TariffSchema);
  return checkTariff(
    {
      name: tariff.name,
      currency: tariff.currency,
      timeZone: tariff.timeZone,
      versions: tariff.versions.map((version, index) => ({
        validFrom: version.validFrom && millisOf(version.validFrom, `tariff.versions[${index}].valid_from`),
        standingChargePerDay: version.standingChargePerDay,
        dynamic: version.dynamic,
        rates: version.rates.map(({ price, windowStart, windowEnd, days }) => ({ price, windowStart, windowEnd, days })),
      })),
    },
    "proto",
    "tariff.",
  );
}

export function tariffMessage(tariff: Tariff): TariffMessage {
  return create(TariffSchema, {
    name: tariff.name,
    currency: tariff.currency,
    timeZone: tariff.timeZone,
    versions: tariff.versions.map((version) =>
      create(TariffVersionSchema, {
        validFrom: timestampFromMs(version.validFrom),
        standingChargePerDay: version.standingChargePerDay,
        dynamic: version.dynamic,
        rates: version.rates.map((rate) => create(RateSchema, rate)),
      }),
    ),
  });
}
