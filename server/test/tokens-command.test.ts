import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, it } from "node:test";
import { secretHash, tokensFileText } from "../src/access/tokens-file.js";
import { packageRoot } from "../src/package-paths.js";
import { spawnService } from "./support/spawn-service.js";
import { temporaryFolder } from "./support/test-server.js";

function meterusage(...args: string[]) {
  const result = spawnSync(process.execPath, ["--import", "tsx", join(packageRoot, "server/src/cli.ts"), ...args], {
    encoding: "utf8",
    env: { ...process.env, METERUSAGE_DB: "", METERUSAGE_TOKENS: "", PORT: "" },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function eventually(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe("meterusage tokens add", () => {
  let folder: string;
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("creates the file, prints the secret once and stores only its hash", () => {
    const file = join(folder, "added.json");
    const added = meterusage("tokens", "add", "--name", "alice", "--read", "flat-1,flat-2", "--read", "flat-3", "--ingest", "flat-1", "--file", file);
    assert.equal(added.status, 0, added.stderr);
    const secret = added.stdout.trim();
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    assert.match(added.stderr, /added the token "alice" to .*added\.json; its secret above is shown only this once/);
    const text = readFileSync(file, "utf8");
    assert.ok(!text.includes(secret), "the file holds the secret");
    assert.deepEqual(JSON.parse(text), {
      tokens: [{ name: "alice", sha256: secretHash(secret), read: ["flat-1", "flat-2", "flat-3"], ingest: ["flat-1"], metrics: false }],
    });

    const second = meterusage("tokens", "add", "--name", "ops", "--read", "*", "--metrics", "--file", file);
    assert.equal(second.status, 0, second.stderr);
    assert.deepEqual(
      JSON.parse(readFileSync(file, "utf8")).tokens.map(({ name, metrics }: { name: string; metrics: boolean }) => [name, metrics]),
      [["alice", false], ["ops", true]],
    );
    assert.notEqual(second.stdout, added.stdout);
  });

  it("refuses a name already taken, and a meter name that breaks the rule", () => {
    const file = join(folder, "taken.json");
    assert.equal(meterusage("tokens", "add", "--name", "alice", "--file", file).status, 0);
    const before = readFileSync(file, "utf8");
    const taken = meterusage("tokens", "add", "--name", "alice", "--read", "flat-1", "--file", file);
    assert.equal(taken.status, 2);
    assert.match(taken.stderr, /^meterusage: .*taken\.json already has a token named "alice"/);
    assert.equal(taken.stdout, "");
    const badMeter = meterusage("tokens", "add", "--name", "bob", "--read", "flat 1", "--file", file);
    assert.match(badMeter.stderr, /^meterusage: --read "flat 1" is neither a meter name nor \*/);
    assert.equal(readFileSync(file, "utf8"), before);
  });
});

describe("serve --tokens", () => {
  let folder: string;
  before(() => (folder = temporaryFolder()));
  after(() => rmSync(folder, { recursive: true, force: true }));

  it("refuses to start with a bad tokens file, naming it and what is wrong", () => {
    const file = join(folder, "bad.json");
    const entry = (name: string, sha256: string) => ({ name, sha256, read: [], ingest: [], metrics: false });
    writeFileSync(file, JSON.stringify({ tokens: [entry("a", secretHash("a")), entry("b", secretHash("b")), entry("c", "c0ffee")] }));
    const result = meterusage("serve", "--port", "0", "--db", join(folder, "bad.db"), "--tokens", file);
    assert.equal(result.status, 1);
    assert.equal(result.stderr.trim(), `meterusage: the tokens file ${file}: tokens[2].sha256 is not 64 hex digits`);
  });

  it("refuses --tokens together with --ingest-token", () => {
    const result = meterusage("serve", "--port", "0", "--db", join(folder, "both.db"), "--tokens", join(folder, "any.json"), "--ingest-token", "x");
    assert.equal(result.status, 2);
    assert.match(result.stderr, /^meterusage: give --tokens or --ingest-token, not both/);
  });

  it("re-reads the file on SIGHUP, keeping the old tokens when the new file is bad", async () => {
    const file = join(folder, "live.json");
    writeFileSync(file, tokensFileText([{ name: "first", sha256: secretHash("first-secret"), read: ["*"], ingest: [], metrics: false }]));
    const service = await spawnService(["--db", join(folder, "live.db"), "--tokens", file]);
    try {
      const whoami = async (secret: string) => {
        const response = await fetch(`${service.baseUrl}/api/whoami`, { headers: { authorization: `Bearer ${secret}` } });
        return response.status === 200 ? ((await response.json()) as { name: string }).name : response.status;
      };
      assert.equal(await whoami("first-secret"), "first");

      const added = meterusage("tokens", "add", "--name", "second", "--read", "meterusage", "--file", file);
      const secret = added.stdout.trim();
      assert.equal(await whoami(secret), 401);
      service.child.kill("SIGHUP");
      await eventually(async () => (await whoami(secret)) === "second", "the new token to be accepted");
      // The log comes down the child's stdout, which may reach this process after the answer that used the new token.
      await eventually(() => /re-read 2 tokens from .*live\.json/.test(service.output()), "the reload to be logged");

      writeFileSync(file, '{"tokens":[{"name":"broken"}]}');
      service.child.kill("SIGHUP");
      await eventually(() => service.output().includes("kept the 2 tokens in use"), "the bad file to be reported");
      assert.match(service.output(), /kept the 2 tokens in use: the tokens file .*live\.json: tokens\[0\]\.sha256 is not 64 hex digits/);
      assert.equal(await whoami(secret), "second");
      assert.ok(!service.output().includes(secret) && !service.output().includes(secretHash(secret)), "the log holds a secret or a hash");
    } finally {
      service.child.kill("SIGTERM");
      await once(service.child, "exit");
    }
  });
});
