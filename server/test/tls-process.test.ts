import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { timestampFromMs, timestampMs } from "@bufbuild/protobuf/wkt";
import { createClient } from "@connectrpc/connect";
import { once } from "node:events";
import { copyFileSync, existsSync, rmSync, writeFileSync } from "node:fs";
import type http from "node:http";
import https from "node:https";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import tls from "node:tls";
import { after, before, describe, it } from "node:test";
import { MeterUsageService } from "../../gen/meterusage/v1/meterusage_pb.js";
import { packageRoot } from "../src/package-paths.js";
import { spawnService } from "./support/spawn-service.js";
import { TestCertificateAuthority, type TestCertificate } from "./support/test-certificates.js";
import { temporaryFolder } from "./support/test-server.js";
import { everyTransport } from "./support/transports.js";

const token = "reload-token";

/** The serial number of the certificate a new TLS connection to the port is given. */
function servedSerial(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: "127.0.0.1", port, ca }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.destroy();
    });
    socket.on("error", reject);
  });
}

/** Polls until `condition` holds, failing with `what` after 10 s. */
async function eventually(what: string, condition: () => boolean | Promise<boolean>): Promise<void> {
  for (const deadline = Date.now() + 10_000; !(await condition()); await sleep(25)) {
    assert.ok(Date.now() < deadline, `still not so after 10 s: ${what}`);
  }
}

/** `meterusage serve` that is expected to stop at start-up; answers its exit status and stderr. */
function serveUntilExit(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(packageRoot, "server/src/cli.ts"), "serve", "--port", "0", ...args], {
    encoding: "utf8",
    env: { ...process.env, PORT: "", METERUSAGE_DB: "", METERUSAGE_TLS_CERT: "", METERUSAGE_TLS_KEY: "", ...env },
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr };
}

describe("TLS certificates of a running service", () => {
  let folder: string;
  let authority: TestCertificateAuthority;
  before(() => {
    folder = temporaryFolder();
    authority = new TestCertificateAuthority(folder);
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("reads a renewed certificate on SIGHUP without dropping open streams, and keeps it over a broken key", async () => {
    const first = authority.issue("first", "1001");
    const renewed = authority.issue("renewed", "2002");
    const live: TestCertificate = { certFile: join(folder, "live.pem"), keyFile: join(folder, "live.key"), serial: "" };
    const install = (certificate: TestCertificate) => {
      copyFileSync(certificate.certFile, live.certFile);
      copyFileSync(certificate.keyFile, live.keyFile);
    };
    install(first);
    const service = await spawnService(["--db", join(folder, "reload.db"), "--tls-cert", live.certFile, "--tls-key", live.keyFile, "--ingest-token", token]);
    // A failed assertion must not leave the service running: the test run would wait for it for ever.
    try {
      assert.match(service.baseUrl, /^https:/);
      assert.match(service.output(), /TLS is on/);
      assert.equal(await servedSerial(service.port, authority.ca), first.serial);

      const client = createClient(MeterUsageService, everyTransport[0][1](service.baseUrl, authority.ca));
      const followed: number[] = [];
      const follower = (async () => {
        for await (const message of client.streamReadings({ start: timestampFromMs(Date.UTC(2020, 0, 1)), follow: true })) {
          followed.push(...message.readings.map((reading) => timestampMs(reading.time!)));
        }
      })();

      install(renewed);
      service.child.kill("SIGHUP");
      await eventually("new connections get the renewed certificate", async () => (await servedSerial(service.port, authority.ca)) === renewed.serial);
      assert.match(service.output(), new RegExp(`new TLS connections get the certificate ${live.certFile} \\(serial ${renewed.serial},`));

      const time = Date.UTC(2020, 0, 1);
      const request = https.request(`${service.baseUrl}/api/readings`, {
        method: "POST",
        ca: authority.ca,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      });
      request.end(JSON.stringify({ readings: [{ time: new Date(time).toISOString(), value: 1 }] }));
      const [response] = (await once(request, "response")) as [http.IncomingMessage];
      assert.equal(response.statusCode, 200);
      response.resume();
      await eventually("the stream opened before SIGHUP gets the new reading", () => followed.includes(time));

      writeFileSync(live.keyFile, "this is not a key\n");
      service.child.kill("SIGHUP");
      await eventually("the service says why it kept the certificate", () => /kept the TLS certificate/.test(service.output()));
      const warning = service.output().split("\n").find((line) => line.includes("kept the TLS certificate"))!;
      assert.equal((JSON.parse(warning) as { level: number }).level, 40, "a warning");
      assert.match(warning, new RegExp(`\\(serial ${renewed.serial}, .*\\): cannot use the TLS key ${live.keyFile}: it is not a PEM private key`));
      assert.doesNotMatch(service.output(), /PRIVATE KEY/);
      assert.equal(await servedSerial(service.port, authority.ca), renewed.serial);

      service.child.kill("SIGTERM");
      const [code] = await once(service.child, "exit");
      await follower;
      assert.equal(code, 0, service.output());
      assert.deepEqual(followed, [time]);
    } finally {
      if (service.child.exitCode === null) service.child.kill("SIGKILL");
    }
  });

  it("refuses to start without a readable certificate, naming the file", () => {
    const { keyFile } = authority.issue("lonely", "3003");
    const db = join(folder, "never.db");
    const missing = join(folder, "missing.pem");
    const { status, stderr } = serveUntilExit(["--db", db, "--tls-cert", missing, "--tls-key", keyFile]);
    assert.equal(status, 1);
    assert.equal(stderr.trim(), `meterusage: cannot use the TLS certificate ${missing}: no such file or directory`);
    assert.equal(existsSync(db), false, "no database is made before the certificate is checked");

    const notPem = join(folder, "not-pem.pem");
    writeFileSync(notPem, "hello\n");
    const refused = serveUntilExit(["--db", db, "--tls-cert", notPem, "--tls-key", keyFile]);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr.trim(), `meterusage: cannot use the TLS certificate ${notPem}: it is not a PEM certificate`);
  });

  it("refuses to start with a key that is not the certificate's, naming both files", () => {
    const one = authority.issue("one", "4004");
    const other = authority.issue("other", "5005");
    const { status, stderr } = serveUntilExit(["--db", join(folder, "never.db"), "--tls-cert", one.certFile, "--tls-key", other.keyFile]);
    assert.equal(status, 1);
    assert.equal(stderr.trim(), `meterusage: cannot use the TLS key ${other.keyFile}: it is not the key of the certificate ${one.certFile}`);
  });

  it("refuses a certificate without a key, and a key without a certificate, naming the missing one", () => {
    const onlyCert = serveUntilExit(["--tls-cert", join(folder, "cert.pem")]);
    assert.equal(onlyCert.status, 2);
    assert.match(onlyCert.stderr, /^meterusage: --tls-key is missing/);
    const onlyKey = serveUntilExit([], { METERUSAGE_TLS_KEY: join(folder, "key.pem") });
    assert.equal(onlyKey.status, 2);
    assert.match(onlyKey.stderr, /^meterusage: --tls-cert is missing/);
  });

  it("lists the TLS settings and their environment variables in serve --help", () => {
    const help = spawnSync(process.execPath, ["--import", "tsx", join(packageRoot, "server/src/cli.ts"), "serve", "--help"], { encoding: "utf8" }).stdout;
    assert.match(help, /--tls-cert FILE .*env METERUSAGE_TLS_CERT/);
    assert.match(help, /--tls-key FILE .*env METERUSAGE_TLS_KEY/);
  });
});
