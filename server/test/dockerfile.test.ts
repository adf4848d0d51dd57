import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { packageRoot } from "../src/package-paths.js";

/** No Docker engine runs where the tests run, so the Dockerfile is checked against the project as text. */
interface Instruction {
  keyword: string;
  args: string;
}

function instructions(): Instruction[] {
  const text = readFileSync(join(packageRoot, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"))
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    });
}

const manifest = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
  scripts: Record<string, string>;
  bin: Record<string, string>;
};
const all = instructions();
const of = (keyword: string) => all.filter((instruction) => instruction.keyword === keyword);
const lastStage = all.slice(all.map((i) => i.keyword).lastIndexOf("FROM"));

describe("the Dockerfile", () => {
  it("builds in one stage and runs from a slim Node LTS image in another", () => {
    const froms = of("FROM").map((from) => from.args);
    assert.equal(froms.length, 2);
    assert.match(froms[0], /^node:\d+-slim AS build$/);
    assert.match(froms[1], /^node:\d+-slim$/);
    const majors = froms.map((from) => Number(/node:(\d+)/.exec(from)![1]));
    assert.equal(majors[0], majors[1], "the same Node in both stages, so native modules match");
    assert.ok(majors[0] >= 20 && majors[0] % 2 === 0, `node ${majors[0]} is not an LTS line`);
  });

  it("copies only files the project has, none of them kept out by .dockerignore", () => {
    const ignored = readFileSync(join(packageRoot, ".dockerignore"), "utf8").split("\n").filter(Boolean);
    const sources = of("COPY")
      .filter((copy) => !copy.args.startsWith("--from"))
      .flatMap((copy) => copy.args.split(/\s+/).slice(0, -1));
    assert.ok(sources.length > 0);
    for (const source of sources) {
      assert.ok(existsSync(join(packageRoot, source)), `${source} does not exist`);
      assert.ok(!ignored.includes(source), `${source} is in .dockerignore`);
    }
  });

  it("runs only npm scripts that package.json has, and takes from the build stage what they make", () => {
    const runs = of("RUN").map((run) => run.args).join(" ");
    const scripts = [...runs.matchAll(/npm run ([\w:-]+)/g)].map((match) => match[1]);
    assert.ok(scripts.includes("build"));
    for (const script of scripts) assert.ok(manifest.scripts[script], `npm run ${script} is not a script`);
    assert.match(runs, /npm ci/);
    assert.match(runs, /npm prune --omit=dev/, "the image runs with production dependencies only");
    const produced = of("COPY")
      .filter((copy) => copy.args.startsWith("--from=build"))
      .map((copy) => copy.args.split(/\s+/)[1].replace("/app/", ""));
    for (const path of produced) {
      assert.ok(existsSync(join(packageRoot, path)), `${path} is copied from the build but \`npm run build\` did not make it here`);
    }
  });

  it("starts the same command package.json's bin names, as a non-root user, with the database on a volume", () => {
    const cmd = JSON.parse(of("CMD").at(-1)!.args) as string[];
    assert.deepEqual(cmd, ["node", Object.values(manifest.bin)[0], "serve"]);
    const user = lastStage.filter((i) => i.keyword === "USER").at(-1)?.args;
    assert.ok(user !== undefined && user !== "root" && user !== "0", "the image runs as a non-root user");
    const env = lastStage.filter((i) => i.keyword === "ENV").map((i) => i.args).join(" ");
    const db = /METERUSAGE_DB=(\S+)/.exec(env)?.[1];
    assert.ok(db, "METERUSAGE_DB is set");
    assert.ok(of("VOLUME").some((volume) => db.startsWith(`${volume.args}/`)), `the database ${db} is on a volume`);
  });

  it("exposes the port it listens on and checks health through /healthz", () => {
    const env = of("ENV").map((i) => i.args).join(" ");
    const port = /PORT=(\d+)/.exec(env)?.[1];
    assert.equal(port, "8080");
    assert.deepEqual(of("EXPOSE").map((i) => i.args), [port]);
    const healthcheck = of("HEALTHCHECK").map((i) => i.args).join(" ");
    assert.match(healthcheck, /\/healthz/);
  });

  it("follows the usual lint rules: no ADD, no latest tags, lean apt installs", () => {
    assert.deepEqual(of("ADD"), []);
    assert.ok(of("FROM").every((from) => !/:latest\b/.test(from.args) && /:/.test(from.args)));
    for (const run of of("RUN").filter((r) => r.args.includes("apt-get install"))) {
      assert.match(run.args, /--no-install-recommends/);
      assert.match(run.args, /rm -rf \/var\/lib\/apt\/lists/);
      assert.match(run.args, /apt-get update &&/);
    }
    assert.equal(of("WORKDIR").every((w) => w.args.startsWith("/")), true);
  });
});
