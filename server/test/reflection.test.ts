import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { packageRoot } from "../src/package-paths.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

const buf = join(packageRoot, "node_modules/.bin/buf");

/** buf curl, a reflection client written independently of this project, with no .proto files. */
async function bufCurl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(buf, ["curl", "--protocol", "grpc", "--http2-prior-knowledge", ...args]);
  return stdout;
}

describe("gRPC server reflection", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  for (const version of ["grpc-v1", "grpc-v1alpha"]) {
    it(`lists the services over ${version}`, async () => {
      const services = (await bufCurl("--reflect-protocol", version, "--list-services", server.baseUrl)).trim().split("\n");
      assert.deepEqual(services.sort(), [
        "grpc.health.v1.Health",
        "grpc.reflection.v1.ServerReflection",
        "grpc.reflection.v1alpha.ServerReflection",
        "meterusage.v1.MeterUsageService",
      ]);
    });

    it(`lets a client call StreamReadings with descriptors fetched over ${version}`, async () => {
      const output = await bufCurl(
        "--reflect-protocol",
        version,
        "-d",
        '{"start":"2019-01-17T02:30:00Z","end":"2019-01-17T03:15:00Z"}',
        `${server.baseUrl}/meterusage.v1.MeterUsageService/StreamReadings`,
      );
      assert.deepEqual(JSON.parse(output), {
        readings: [
          { time: "2019-01-17T02:30:00Z", value: 53.95 },
          { time: "2019-01-17T02:45:00Z" },
          { time: "2019-01-17T03:00:00Z", value: 55.03 },
        ],
      });
    });
  }

  it("lists the methods of the service", async () => {
    const methods = (await bufCurl("--list-methods", server.baseUrl)).trim().split("\n");
    assert.deepEqual(methods.filter((method) => method.startsWith("meterusage.")).sort(), [
      "meterusage.v1.MeterUsageService/AppendReadings",
      "meterusage.v1.MeterUsageService/GetSummary",
      "meterusage.v1.MeterUsageService/GetUsage",
      "meterusage.v1.MeterUsageService/ListMeters",
      "meterusage.v1.MeterUsageService/ListTariffs",
      "meterusage.v1.MeterUsageService/PutPrices",
      "meterusage.v1.MeterUsageService/PutTariff",
      "meterusage.v1.MeterUsageService/StreamReadings",
    ]);
  });
});
