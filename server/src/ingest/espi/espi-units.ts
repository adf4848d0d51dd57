/** The ESPI unit-of-measure codes meterusage stores, with the unit a meter gets and the power of ten that takes a value there. */
export interface EspiUnit {
  uom: number;
  /** The meter's unit. */
  unit: string;
  /** What a value in `uom` is multiplied by, as a power of ten, to be in `unit`: Wh are stored as kWh. */
  toUnitPower: number;
  /** The ESPI commodity a feed of this unit describes (1 electricity, 7 natural gas). */
  commodity: number;
}

export const espiUnits: EspiUnit[] = [
  { uom: 72, unit: "kWh", toUnitPower: -3, commodity: 1 },
  { uom: 42, unit: "m3", toUnitPower: 0, commodity: 7 },
  { uom: 169, unit: "therm", toUnitPower: 0, commodity: 7 },
];

export const storedUomsText = "72 (Wh), 42 (m3) and 169 (therm)";

/** The ESPI namespace, whether a file binds it to a prefix such as `espi:` or makes it the default. */
export const espiNamespace = "http://naesb.org/espi";
export const atomNamespace = "http://www.w3.org/2005/Atom";

/** accumulationBehaviour 9, a summation register: running totals, not interval data. */
export const summationBehaviour = 9;
/** accumulationBehaviour 4, deltaData: each value the quantity of its interval. */
export const deltaDataBehaviour = 4;
/** flowDirection 19, received: energy the point exported to the grid. */
export const receivedFlow = 19;
export const forwardFlow = 1;
