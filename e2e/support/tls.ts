import { execFileSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

// A self-signed certificate for https://localhost, made with openssl, for the
// app servers that must run on a secure origin (device-bound sessions: Chromium
// ignores DBSC on http://, even on localhost). Chromium is told to trust exactly
// this key (--ignore-certificate-errors-spki-list): the blanket
// --ignore-certificate-errors leaves the origin "not secure", and DBSC off.

export type TestCertificate = { certFile: string; keyFile: string; spkiHash: string };

export function makeLocalhostCertificate(dir: string): TestCertificate {
  mkdirSync(dir, { recursive: true });
  const certFile = join(dir, "localhost.crt");
  const keyFile = join(dir, "localhost.key");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=localhost",
    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
  ], { stdio: "ignore" });
  const spki = new X509Certificate(readFileSync(certFile)).publicKey.export({ type: "spki", format: "der" });
  return { certFile, keyFile, spkiHash: createHash("sha256").update(spki).digest("base64") };
}

/** The Chromium switches of a browser that does DBSC with software keys and trusts this certificate. */
export function deviceBoundChromiumArgs(certificate: TestCertificate): string[] {
  return [
    // One --enable-features: Chromium reads only the last one given. No quota: a test signs more often than 6 times in 9 minutes.
    "--enable-features=DeviceBoundSessions:RefreshQuota/false,EnableBoundSessionCredentialsSoftwareKeysForManualTesting",
    `--ignore-certificate-errors-spki-list=${certificate.spkiHash}`,
  ];
}
