import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import Database from "better-sqlite3";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import pg from "pg";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { isStoreUnreachable } from "../src/store/availability/store-unavailable-error.js";
import { NotificationsLostError } from "../src/store/postgres/notifications-lost-error.js";
import { SqliteStore } from "../src/store/sqlite/sqlite-store.js";
import { startTestServer, temporaryFolder, type TestServer } from "./support/test-server.js";
import { testPostgres } from "./support/test-postgres.js";

/** The error `action` throws. */
async function failure(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  assert.fail("expected an error");
}

describe("which store errors mean the store is unavailable", () => {
  const folder = temporaryFolder();
  const path = join(folder, "readings.db");
  before(async () => {
    const store = new SqliteStore(path);
    await store.appendReadings([{ meter: "m", readings: [{ time: 0, value: 1 }] }]);
    await store.close();
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("SQLite: a read-only database, a lock held past the busy timeout, a file that cannot be opened", async () => {
    const readOnly = new Database(path, { readonly: true });
    const readOnlyError = await failure(() => readOnly.exec("UPDATE meters SET unit = 'kWh'"));
    readOnly.close();
    assert.match((readOnlyError as InstanceType<typeof Database.SqliteError>).code, /^SQLITE_READONLY/);
    assert.ok(isStoreUnreachable(readOnlyError));

    const holder = new Database(path);
    const waiter = new Database(path, { timeout: 0 });
    holder.exec("BEGIN IMMEDIATE");
    const busyError = await failure(() => waiter.exec("BEGIN IMMEDIATE"));
    holder.exec("ROLLBACK");
    holder.close();
    waiter.close();
    assert.match((busyError as InstanceType<typeof Database.SqliteError>).code, /^SQLITE_BUSY/);
    assert.ok(isStoreUnreachable(busyError));

    // A folder where the file should be.
    const cantOpen = await failure(() => new Database(folder));
    assert.equal((cantOpen as InstanceType<typeof Database.SqliteError>).code, "SQLITE_CANTOPEN");
    assert.ok(isStoreUnreachable(cantOpen));
  });

  it("SQLite: not a duplicate key, a bad statement, or a closed connection, which are ours to fix", async () => {
    const db = new Database(path);
    const duplicate = await failure(() => db.exec("INSERT INTO meters (id, name) SELECT id, name FROM meters"));
    const syntax = await failure(() => db.exec("SELEKT 1"));
    db.close();
    const closed = await failure(() => db.exec("SELECT 1"));
    for (const error of [duplicate, syntax, closed]) assert.equal(isStoreUnreachable(error), false, String(error));
  });

  it("PostgreSQL: a refused connection, also when a lost follow carries it", async () => {
    const client = new pg.Client({ connectionString: "postgres://nobody@127.0.0.1:1/none" });
    const refused = await failure(() => client.connect());
    assert.ok(isStoreUnreachable(refused));
    assert.ok(isStoreUnreachable(new NotificationsLostError(refused)));
    assert.equal(isStoreUnreachable(new NotificationsLostError(new Error("the store was closed"))), false);
  });

  it("PostgreSQL: not a statement the server refuses", { skip: testPostgres().skip }, async () => {
    const client = new pg.Client({ connectionString: testPostgres().url });
    await client.connect();
    try {
      const syntax = await failure(() => client.query("SELEKT 1"));
      assert.equal((syntax as pg.DatabaseError).code, "42601");
      assert.equal(isStoreUnreachable(syntax), false);
    } finally {
      await client.end();
    }
  });
});

describe("a store failure that is not an outage", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
    // A closed database is a mistake of the service's own, not the store being away.
    await server.store.close();
  });
  after(() => server.close());

  it("is still 500 / Internal, saying no more than that", async () => {
    const response = await fetch(`${server.baseUrl}/api/meters`);
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), { error: "internal error" });
    const client = createClient(MeterUsageService, createGrpcTransport({ baseUrl: server.baseUrl }));
    await assert.rejects(client.listMeters({}), (error: unknown) => {
      assert.equal(ConnectError.from(error).code, Code.Internal);
      assert.equal(ConnectError.from(error).rawMessage, "internal error");
      return true;
    });
  });
});
