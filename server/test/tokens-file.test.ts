import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { TooManyFailuresError } from "../src/access/access-errors.js";
import { FailureThrottle } from "../src/access/failure-throttle.js";
import { IngestTokenPolicy, ingestTokenName } from "../src/access/ingest-token-policy.js";
import { parseTokens, secretHash } from "../src/access/tokens-file.js";
import { TokensPolicy } from "../src/access/tokens-policy.js";

const hash = secretHash("alice-secret");

describe("a tokens file", () => {
  it("reads the issue's format, with * for every meter and missing lists as empty", () => {
    const text = JSON.stringify({
      tokens: [
        { name: "alice", sha256: hash.toUpperCase(), read: ["flat-1", "flat-2"], ingest: ["flat-1"], metrics: false },
        { name: "ops", sha256: secretHash("ops"), read: ["*"], metrics: true },
      ],
    });
    assert.deepEqual(parseTokens(text, "t.json"), [
      { name: "alice", sha256: hash, read: ["flat-1", "flat-2"], ingest: ["flat-1"], metrics: false },
      { name: "ops", sha256: secretHash("ops"), read: ["*"], ingest: [], metrics: true },
    ]);
  });

  it("names the file and the first problem, and never quotes a hash", () => {
    const entry = { name: "alice", sha256: hash, read: [], ingest: [] };
    const cases: [unknown, string][] = [
      [{ tokens: [entry, entry] }, 'tokens[1].name "alice" is the same as tokens[0]\'s'],
      [{ tokens: [entry, { ...entry, name: "bob" }] }, "tokens[1].sha256 is the same as tokens[0]'s"],
      [{ tokens: [entry, { ...entry, name: "bob", sha256: secretHash("b") }, { ...entry, name: "carol", sha256: "abc" }] }, "tokens[2].sha256 is not 64 hex digits"],
      [{ tokens: [{ ...entry, read: ["flat 1"] }] }, 'tokens[0].read[0] is neither a meter name nor "*"'],
      [{ tokens: [{ ...entry, ingest: "flat-1" }] }, "tokens[0].ingest is not a list of meter names"],
      [{ tokens: [{ ...entry, name: "" }] }, "tokens[0].name is not 1 to 64 letters, digits or ._@-"],
      [{ tokens: [{ ...entry, metrics: "yes" }] }, "tokens[0].metrics is neither true nor false"],
      [{ tokens: {} }, 'is not {"tokens":[...]}'],
      [[], 'is not {"tokens":[...]}'],
    ];
    for (const [document, problem] of cases) {
      assert.throws(() => parseTokens(JSON.stringify(document), "/etc/t.json"), { name: "TokensFileError", message: `the tokens file /etc/t.json: ${problem}` });
    }
    assert.throws(() => parseTokens(`{"tokens":[{"sha256":"${hash}"`, "t.json"), (error: Error) => {
      assert.match(error.message, /^the tokens file t\.json: is not JSON/);
      assert.ok(!error.message.includes(hash));
      return true;
    });
  });
});

describe("the failure throttle", () => {
  it("refuses an address after 10 failures in a minute, until the oldest is a minute old, and no other address", () => {
    let now = 0;
    const throttle = new FailureThrottle({ maxFailures: 10, windowMs: 60_000 }, () => now);
    for (let failure = 0; failure < 9; failure++, now += 1000) throttle.recordFailure("10.0.0.1");
    assert.equal(throttle.retryAfterSeconds("10.0.0.1"), 0);
    throttle.recordFailure("10.0.0.1");
    assert.equal(throttle.retryAfterSeconds("10.0.0.1"), 51);
    assert.equal(throttle.retryAfterSeconds("10.0.0.2"), 0);
    now = 59_500;
    assert.equal(throttle.retryAfterSeconds("10.0.0.1"), 1);
    now = 60_000;
    assert.equal(throttle.retryAfterSeconds("10.0.0.1"), 0);
  });

  it("refuses even a good token from a throttled address, so guesses there learn nothing", () => {
    let now = 0;
    const policy = new TokensPolicy([{ name: "alice", sha256: hash, read: ["*"], ingest: [], metrics: false }], new FailureThrottle(undefined, () => now));
    for (let failure = 0; failure < 10; failure++) assert.throws(() => policy.authenticate(`Bearer guess-${failure}`, "2001:db8:0:1::1"), { name: "UnauthenticatedError" });
    assert.throws(() => policy.authenticate("Bearer alice-secret", "2001:db8:0:1::1"), (error: unknown) => error instanceof TooManyFailuresError && error.retryAfterSeconds === 60);
    assert.equal(policy.authenticate("Bearer alice-secret", "2001:db8:0:2::1").name, "alice");
    // A missing token is how the page first learns it must sign in, not a guess.
    for (let request = 0; request < 20; request++) assert.throws(() => policy.authenticate(undefined, "2001:db8:0:3::1"), { name: "UnauthenticatedError" });
    assert.equal(policy.authenticate("Bearer alice-secret", "2001:db8:0:3::1").name, "alice");
  });

  it("throttles wrong --ingest-token guesses the same way, while a request with no token still reads", () => {
    let now = 0;
    const policy = new IngestTokenPolicy("ingest-secret", new FailureThrottle(undefined, () => now));
    for (let failure = 0; failure < 10; failure++) {
      const grant = policy.authenticate(`Bearer guess-${failure}`, "192.0.2.1");
      assert.throws(() => grant.checkIngest("flat-1"), { name: "UnauthenticatedError" });
    }
    assert.throws(() => policy.authenticate("Bearer ingest-secret", "192.0.2.1"), (error: unknown) => error instanceof TooManyFailuresError && error.retryAfterSeconds === 60);
    assert.equal(policy.authenticate(undefined, "192.0.2.1").mayRead("flat-1"), true);
    assert.equal(policy.authenticate("Bearer ingest-secret", "192.0.2.2").name, ingestTokenName);
    now = 60_000;
    assert.equal(policy.authenticate("Bearer ingest-secret", "192.0.2.1").name, ingestTokenName);
  });

  it("counts an IPv6 client by its /64, which one home or host holds, and an IPv4 client by its address however it is written", () => {
    let now = 0;
    const throttle = new FailureThrottle({ maxFailures: 10, windowMs: 60_000 }, () => now);
    for (let failure = 0; failure < 10; failure++) throttle.recordFailure(`2001:db8:aa:bb:${failure.toString(16)}::${failure + 1}`);
    for (const sameNetwork of ["2001:db8:aa:bb::1", "2001:0db8:00aa:00bb:ffff:ffff:ffff:ffff", "2001:DB8:AA:BB:1:2:3:4%eth0"]) {
      assert.equal(throttle.retryAfterSeconds(sameNetwork), 60, sameNetwork);
    }
    for (const otherNetwork of ["2001:db8:aa:bc::1", "2001:db8::1", "::1", "10.0.0.1"]) assert.equal(throttle.retryAfterSeconds(otherNetwork), 0, otherNetwork);

    for (let failure = 0; failure < 5; failure++) throttle.recordFailure("192.0.2.7");
    for (let failure = 0; failure < 5; failure++) throttle.recordFailure("::ffff:192.0.2.7");
    assert.equal(throttle.retryAfterSeconds("192.0.2.7"), 60);
    assert.equal(throttle.retryAfterSeconds("192.0.2.8"), 0);
  });
});
