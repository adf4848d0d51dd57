import assert from "node:assert/strict";
import http from "node:http";
import http2 from "node:http2";
import { after, before, describe, it } from "node:test";
import { referenceData } from "./support/reference-data.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

interface ReadingsBody {
  readings: { time: string; value: number | null }[];
}

/** A GET with the path sent exactly as written, which fetch would normalize. */
function rawGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path }, (response) => {
        let body = "";
        response.setEncoding("utf8").on("data", (chunk) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode!, body }));
      })
      .on("error", reject);
  });
}

describe("the JSON route", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it("answers every reading, a missing value as null", async () => {
    const response = await fetch(`${server.baseUrl}/api/readings`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/json; charset=utf-8");
    const text = await response.text();
    assert.doesNotMatch(text, /NaN/);
    const body = JSON.parse(text) as ReadingsBody;
    assert.equal(body.readings.length, referenceData.count);
    assert.deepEqual(body.readings[0], referenceData.first);
    assert.deepEqual(body.readings.filter((reading) => reading.value === null), [
      { time: referenceData.missingTime, value: null },
    ]);
  });

  it("answers the same under the seed-era alias /usage/data", async () => {
    const [current, alias] = await Promise.all(
      ["/api/readings", "/usage/data"].map((path) => fetch(server.baseUrl + path).then((r) => r.text())),
    );
    assert.equal(alias, current);
  });

  it("answers a half-open range given as RFC 3339 times or bare dates", async () => {
    for (const query of ["start=2019-01-02T00:00:00Z&end=2019-01-03T00:00:00Z", "start=2019-01-02&end=2019-01-03", "start=2019-01-02T01:00:00%2B01:00&end=2019-01-03"]) {
      const body = (await (await fetch(`${server.baseUrl}/api/readings?${query}`)).json()) as ReadingsBody;
      assert.equal(body.readings.length, 96, query);
      assert.equal(body.readings[0].time, "2019-01-02T00:00:00Z", query);
    }
  });

  it("treats an empty or absent bound as unbounded", async () => {
    const body = (await (await fetch(`${server.baseUrl}/api/readings?start=&end=2019-01-01T01:00:00Z`)).json()) as ReadingsBody;
    assert.equal(body.readings.length, 3);
  });

  it("answers 400 naming the parameter for a time it cannot read", async () => {
    for (const name of ["start", "end"]) {
      const response = await fetch(`${server.baseUrl}/api/readings?${name}=tomorrow`);
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: string };
      assert.match(body.error, new RegExp(`^the \`${name}\` parameter "tomorrow" is not a time`));
    }
  });

  it("answers 400 for a start after the end", async () => {
    const response = await fetch(`${server.baseUrl}/api/readings?start=2019-01-03&end=2019-01-02`);
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { error: "start (2019-01-03T00:00:00Z) is after end (2019-01-02T00:00:00Z)" });
  });

  it("answers over HTTP/2 cleartext as well", async () => {
    const session = http2.connect(server.baseUrl);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        let text = "";
        const stream = session.request({ ":path": "/api/readings?start=2019-01-02&end=2019-01-03" });
        stream.setEncoding("utf8").on("data", (chunk) => (text += chunk));
        stream.on("end", () => resolve(text)).on("error", reject);
      });
      assert.equal((JSON.parse(body) as ReadingsBody).readings.length, 96);
    } finally {
      session.close();
    }
  });

  it("downloads a range as CSV in the import format", async () => {
    const response = await fetch(`${server.baseUrl}/api/readings?format=csv&start=2019-01-17T02:30:00Z&end=2019-01-17T03:15:00Z`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/csv; charset=utf-8");
    assert.equal(response.headers.get("content-disposition"), 'attachment; filename="meterusage_2019-01-17_2019-01-17.csv"');
    assert.equal(await response.text(), "time,meterusage\n2019-01-17T02:30:00Z,53.95\n2019-01-17T02:45:00Z,NaN\n2019-01-17T03:00:00Z,55.03\n");
    const unknown = await fetch(`${server.baseUrl}/api/readings?format=xml`);
    assert.equal(unknown.status, 400);
  });

  it("answers 405 for a method other than GET", async () => {
    const response = await fetch(`${server.baseUrl}/api/readings`, { method: "DELETE" });
    assert.equal(response.status, 405);
    assert.match(((await response.json()) as { error: string }).error, /DELETE is not allowed/);
  });
});

describe("the page and unknown paths", () => {
  let server: TestServer;
  before(async () => (server = await startTestServer()));
  after(() => server.close());

  it("serves the built page at /", async () => {
    const response = await fetch(`${server.baseUrl}/`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "text/html; charset=utf-8");
    assert.match(await response.text(), /<div id="app">/);
  });

  it("answers 404 with a JSON error for a path that holds nothing", async () => {
    const response = await fetch(`${server.baseUrl}/no/such/thing`);
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { error: "nothing at /no/such/thing" });
  });

  it("never serves a file outside the page's folder", async () => {
    for (const path of ["/../../package.json", "/%2e%2e/%2e%2e/package.json", "/..%2f..%2fpackage.json", "/%2fetc%2fpasswd", "/assets/%00"]) {
      const { status, body } = await rawGet(server.port, path);
      assert.equal(status, 404, path);
      assert.doesNotMatch(body, /meterusage|root:/, path);
    }
  });
});
