import { execFileSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import pg from "pg";

/**
 * Restarts a cluster on this machine with fsync and synchronous_commit on, keeping every other
 * option it was started with. The throwaway clusters run without either, which suits tests
 * but would make a commit's cost look like nothing; command-line settings cannot be changed
 * without a restart.
 */
export async function restartDurable(url: string): Promise<void> {
  const [dataDirectory] = await settings(url, ["data_directory"]);
  // postmaster.opts holds the server's command line: its program, then each option in quotes.
  const commandLine = readFileSync(join(dataDirectory, "postmaster.opts"), "utf8").trim();
  const optionsAt = commandLine.indexOf(' "');
  const pgCtl = join(dirname(commandLine.slice(0, optionsAt)), "pg_ctl");
  const options = `${commandLine.slice(optionsAt + 1)} "-c" "fsync=on" "-c" "synchronous_commit=on"`;
  // initdb refuses root, so a cluster started as root belongs to another user, who must restart it.
  const owner = statSync(dataDirectory).uid;
  const asOwner = process.getuid?.() === 0 && owner !== 0 ? ["runuser", "-u", execFileSync("id", ["-nu", String(owner)], { encoding: "utf8" }).trim(), "--"] : [];
  const restart = [pgCtl, "restart", "-D", dataDirectory, "-m", "fast", "-w", "-l", join(dataDirectory, "server.log"), "-o", options];
  const [program, ...args] = [...asOwner, ...restart];
  execFileSync(program, args, { stdio: ["ignore", "ignore", "inherit"] });
}

/** The values of server settings, in the order asked. */
export async function settings(url: string, names: string[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = ANY($1) ORDER BY array_position($1, name)", [names]);
    return rows.map(({ setting }) => setting);
  } finally {
    await client.end();
  }
}
