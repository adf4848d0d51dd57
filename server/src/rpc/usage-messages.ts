import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  GetUsageResponseSchema,
  MeterPeriodsSchema,
  Period as ProtoPeriod,
  PeriodUsageSchema,
  type GetUsageResponse,
} from "../../../gen/meterusage/v1/meterusage_pb.js";
import type { Period } from "../usage/period.js";
import type { PeriodUsage } from "../usage/period-usage.js";
import type { Usage } from "../usage/read-usage.js";

const periods: Partial<Record<ProtoPeriod, Period>> = {
  [ProtoPeriod.HOUR]: "hour",
  [ProtoPeriod.DAY]: "day",
  [ProtoPeriod.WEEK]: "week",
  [ProtoPeriod.MONTH]: "month",
  [ProtoPeriod.QUARTER]: "quarter",
  [ProtoPeriod.YEAR]: "year",
};

export function periodFromRequest(period: ProtoPeriod): Period {
  const known = periods[period];
  if (known === undefined) {
    throw new ConnectError("period must be one of PERIOD_HOUR, PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_QUARTER, PERIOD_YEAR", Code.InvalidArgument);
  }
  return known;
}

export function usageResponse(usage: Usage): GetUsageResponse {
  return create(GetUsageResponseSchema, {
    timeZone: usage.timeZone,
    currency: usage.currency,
    meters: usage.meters.map(({ meter, unit, periods, currency }) => create(MeterPeriodsSchema, { meter, unit, currency, periods: periods.map(periodMessage) })),
    total: usage.total?.map(periodMessage) ?? [],
  });
}

function periodMessage(usage: PeriodUsage) {
  return create(PeriodUsageSchema, {
    ...usage,
    start: timestampFromMs(usage.start),
    end: timestampFromMs(usage.end),
    count: BigInt(usage.count),
    missingCount: BigInt(usage.missingCount),
    unpricedCount: BigInt(usage.unpricedCount ?? 0),
  });
}
