/**
 * Shows how an import goes: on a terminal a bar redrawn in place with rows per second,
 * elsewhere (a log, a pipe) a plain line every few seconds.
 */
export function progressDisplay(totalBytes: number, stream: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let lastShown = 0;
  const interval = stream.isTTY ? 100 : 5000;

  const line = (bytes: number, rows: number) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = Math.round(rows / Math.max(seconds, 0.001)).toLocaleString("en-US");
    const share = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 1;
    const percent = `${Math.floor(share * 100)}%`.padStart(4);
    return { share, text: `${percent} ${rows.toLocaleString("en-US")} readings, ${rate} readings/s` };
  };

  return {
    update(bytes: number, rows: number) {
      const now = performance.now();
      if (now - lastShown < interval) return;
      lastShown = now;
      const { share, text } = line(bytes, rows);
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(share * width);
        stream.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text}\x1b[K`);
      } else {
        stream.write(`${text}\n`);
      }
    },
    done() {
      if (stream.isTTY && lastShown > 0) stream.write("\r\x1b[K");
    },
  };
}
