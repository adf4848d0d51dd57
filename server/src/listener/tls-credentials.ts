import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { TlsFileError } from "./tls-file-error.js";

export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** A certificate (with the chain after it, if its file holds one) and its private key, as PEM. */
export interface TlsCredentials extends TlsFiles {
  cert: string;
  key: string;
  /** The certificate's serial number and expiry, for logs; nothing secret. */
  summary: string;
}

/**
 * Reads the PEM files and checks that the key belongs to the certificate, so that a bad pair
 * is refused with the file named before a single connection depends on it.
 */
export async function readTlsCredentials({ certFile, keyFile }: TlsFiles): Promise<TlsCredentials> {
  const cert = await readPem("certificate", certFile);
  const key = await readPem("key", keyFile);
  const certificate = parseCertificate(cert, certFile);
  if (!certificate.checkPrivateKey(parseKey(key, keyFile))) {
    throw new TlsFileError("key", keyFile, `it is not the key of the certificate ${certFile}`);
  }
  const validUntil = new Date(certificate.validTo).toISOString();
  return { certFile, keyFile, cert, key, summary: `serial ${certificate.serialNumber}, valid until ${validUntil}` };
}

async function readPem(kind: "certificate" | "key", file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const message = (error as Error).message;
    throw new TlsFileError(kind, file, /^E[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message);
  }
}

function parseCertificate(pem: string, file: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new TlsFileError("certificate", file, "it is not a PEM certificate");
  }
}

function parseKey(pem: string, file: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    const reason = pem.includes("ENCRYPTED") ? "it is encrypted; give the key without a passphrase" : "it is not a PEM private key";
    throw new TlsFileError("key", file, reason);
  }
}
