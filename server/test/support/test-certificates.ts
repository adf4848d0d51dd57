import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface TestCertificate {
  certFile: string;
  keyFile: string;
  /** As Node shows it: upper-case hex. */
  serial: string;
}

/**
 * A certificate authority made with openssl in a test's temporary folder, issuing server
 * certificates for 127.0.0.1 and localhost. Nothing of it outlives the folder.
 */
export class TestCertificateAuthority {
  readonly caFile: string;
  /** The CA certificate as PEM, for clients to trust. */
  readonly ca: string;
  private readonly keyFile: string;

  constructor(private readonly folder: string) {
    this.caFile = join(folder, "ca.pem");
    this.keyFile = join(folder, "ca.key");
    openssl(
      ["req", "-x509", ...newKey(this.keyFile), "-out", this.caFile, "-days", "2", "-subj", "/CN=meterusage test CA"],
      ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign"],
    );
    this.ca = readFileSync(this.caFile, "utf8");
  }

  /** A new key and a certificate for it, named `name`.pem and `name`.key, with this serial (hex). */
  issue(name: string, serial: string): TestCertificate {
    const certFile = join(this.folder, `${name}.pem`);
    const keyFile = join(this.folder, `${name}.key`);
    openssl(
      ["req", "-x509", ...newKey(keyFile), "-out", certFile, "-days", "2", "-subj", "/CN=localhost"],
      ["subjectAltName=IP:127.0.0.1,DNS:localhost", "basicConstraints=CA:FALSE", "extendedKeyUsage=serverAuth"],
      ["-CA", this.caFile, "-CAkey", this.keyFile, "-set_serial", `0x${serial}`],
    );
    return { certFile, keyFile, serial: serial.toUpperCase() };
  }
}

function newKey(keyFile: string): string[] {
  return ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile];
}

function openssl(args: string[], extensions: string[], more: string[] = []): void {
  const made = spawnSync("openssl", [...args, ...extensions.flatMap((extension) => ["-addext", extension]), ...more], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`openssl ${args.join(" ")} failed: ${made.error?.message ?? made.stderr}`);
}
