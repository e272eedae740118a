import { generateKeyPairSync, sign } from "node:crypto";

// A device's key pair as a DBSC browser holds it (P-256), and the JWT proofs it
// signs: `typ: dbsc+jwt`, ES256 (r‖s), the challenge as jti, and at
// registration the public key in the header's `jwk`.

export type DeviceKey = { proof: (challenge: string, options: { withKey: boolean }) => string };

export function deviceKey(): DeviceKey {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const { kty, crv, x, y } = publicKey.export({ format: "jwk" });
  const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");
  return {
    proof(challenge, { withKey }) {
      const header = { alg: "ES256", typ: "dbsc+jwt", ...(withKey ? { jwk: { kty, crv, x, y } } : {}) };
      const input = `${part(header)}.${part({ jti: challenge })}`;
      const signature = sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" });
      return `${input}.${signature.toString("base64url")}`;
    },
  };
}
