import { apiCase } from "./fuzz-api-cases";
import { formCase, signInCase } from "./fuzz-form-cases";
import { apiLoginCase, signerJsonCase } from "./fuzz-login-api-cases";
import type { FuzzCase, World } from "./fuzz-model";
import { loginNextCase, pageBearerCase, pageCookieCase, pageMethodCase, pagePathCase, pageWrongCookieCase } from "./fuzz-page-cases";
import { rawCase } from "./fuzz-raw-cases";
import type { Rng } from "./fuzz-rng";

// Turns values into requests against the app (one "case" each), and says what a
// correct answer to each looks like.
//
// The shared types and expectations are in fuzz-model.ts, the cases of each target
// in fuzz-*-cases.ts, the fixed batches in fuzz-batches.ts and the judging in fuzz-judge.ts.

// ---- The main run ------------------------------------------------------------

const TARGET_WEIGHTS = {
  "page-cookie": 22,
  "page-bearer": 4,
  "page-wrong-cookie": 3,
  "page-path": 5,
  "page-method": 3,
  "login-next": 12,
  api: 25,
  "api-login": 13,
  form: 8,
  "sign-in": 1.5,
  "signer-json": 0.5,
  raw: 5,
} as const;
type TargetKind = keyof typeof TARGET_WEIGHTS;

export function generateCase(index: number, rng: Rng, world: World): FuzzCase {
  const kind: TargetKind = rng.weighted(TARGET_WEIGHTS);
  switch (kind) {
    case "page-cookie":
      return pageCookieCase(index, rng, world);
    case "page-bearer":
      return pageBearerCase(index, rng, world);
    case "page-wrong-cookie":
      return pageWrongCookieCase(index, rng, world);
    case "page-path":
      return pagePathCase(index, rng, world);
    case "page-method":
      return pageMethodCase(index, rng, world);
    case "login-next":
      return loginNextCase(index, rng, world);
    case "api":
      return apiCase(index, rng, world);
    case "api-login":
      return apiLoginCase(index, rng, world);
    case "form":
      return formCase(index, rng, world);
    case "sign-in":
      return signInCase(index, rng, world);
    case "signer-json":
      return signerJsonCase(index, world);
    case "raw":
      return rawCase(index, rng, world);
  }
}
