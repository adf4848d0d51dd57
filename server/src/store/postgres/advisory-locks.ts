// The advisory locks by which processes sharing a database take turns. Any fixed numbers: each
// only has to be the same in every process, and different from the others, or a process
// waiting for one waits for another's holder (a standby holding the subscriber's lock for
// minutes would stop every other process from starting).

/** Held while the schema is created or upgraded, in that transaction. */
export const schemaLock = 5_837_219;
/** Held for as long as a process subscribes to MQTT, on a connection of its own. */
export const subscriberLock = 5_837_220;
/** Held while the tables beside the readings are created, in that transaction. */
export const sideTablesLock = 5_837_221;
