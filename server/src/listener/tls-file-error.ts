/** A TLS certificate or key file that cannot be used, naming the file and what is wrong with it. */
export class TlsFileError extends Error {
  constructor(kind: "certificate" | "key", file: string, reason: string) {
    super(`cannot use the TLS ${kind} ${file}: ${reason}`);
    this.name = "TlsFileError";
  }
}
