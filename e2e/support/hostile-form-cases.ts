import fc from "fast-check";
import { canonicalToken, hostileString, payload, urlish } from "../../fuzz/arbitraries";
import type { Expect, HostileCase, World } from "./hostile-model";

// Hostile submissions of the sign-in and sign-up forms, made as a browser makes
// them: load the page, take the form as rendered (its hidden fields included),
// type values into it and post it. The values are what is hostile, plus now and
// then the encoding (urlencoded instead of the form's multipart) or the Origin.

/** The query that puts `next` into the sign-in form's hidden field, as a link to /login?next=… does. */
function withNext(next: string): string {
  return `/login?next=${encodeURIComponent(next.replace(/[\ud800-\udfff]/g, "\ufffd"))}`;
}

function email(world: World): fc.Arbitrary<string> {
  return fc.oneof(
    hostileString,
    fc.emailAddress(),
    payload.map((text) => `${text}@fuzz.example`),
    fc.constantFrom(world.victimEmail, ` ${world.victimEmail.toUpperCase()} `),
    canonicalToken,
  );
}

const password = fc.oneof(hostileString, fc.constantFrom("", "p".repeat(1025), "correct horse battery staple"), canonicalToken);
const enctype = fc.constantFrom(undefined, undefined, undefined, "application/x-www-form-urlencoded" as const);

/** The sign-in form with hostile credentials (and a hostile `next`): the page again with its message, never a session. */
function signInCase(world: World): fc.Arbitrary<HostileCase> {
  const next = fc.option(fc.oneof(urlish, hostileString), { nil: undefined });
  return fc.record({ email: email(world), password, next, typedNext: fc.boolean(), enctype, foreign: fc.nat({ max: 9 }) }).map((drawn) => {
    const values: Record<string, string> = { email: drawn.email, password: drawn.password };
    if (drawn.next !== undefined && drawn.typedNext) values.next = drawn.next;
    const page = drawn.next !== undefined && !drawn.typedNext ? withNext(drawn.next) : "/login";
    const foreign = drawn.foreign === 0;
    const expect: Expect = foreign ? { statuses: [403], session: "never" } : { statuses: [200], session: "never" };
    return {
      label: `POST /login (${drawn.enctype ?? "as rendered"}${foreign ? ", from another origin" : ""})`,
      form: { page, values, enctype: drawn.enctype, origin: foreign ? "https://evil.example" : world.origin },
      expect,
    };
  });
}

/** The sign-up form with hostile values: the page with its message, or (valid values) a new account signed in, landing on /. */
function signUpCase(world: World): fc.Arbitrary<HostileCase> {
  return fc.record({ email: email(world), password, enctype }).map((drawn) => ({
    label: `POST /signup (${drawn.enctype ?? "as rendered"})`,
    form: { page: "/signup", values: { email: drawn.email, password: drawn.password }, enctype: drawn.enctype, origin: world.origin },
    expect: { statuses: [200, 303], session: "signup" },
  }));
}

/**
 * The signer's real sign-in with a hostile `next`, from a link (/login?next=…)
 * or typed into the field: it signs in, and the redirect stays on this site.
 */
function signerCase(world: World): fc.Arbitrary<HostileCase> {
  const onSite = urlish.map((value) => (value.startsWith("/") ? value : `/${value}`)); // past the first check, where redirects go wrong
  const next = fc.oneof({ arbitrary: onSite, weight: 3 }, { arbitrary: hostileString, weight: 1 });
  return fc.tuple(next, fc.boolean()).map(([value, typed]): HostileCase => {
    const values: Record<string, string> = { email: world.signer.email, password: world.signer.password };
    if (typed) values.next = value;
    return {
      label: `POST /login as the signer with a hostile next (${typed ? "typed" : "from the link"})`,
      form: { page: typed ? "/login" : withNext(value), values, origin: world.origin },
      expect: { session: "required" },
      lane: "signer",
    };
  });
}

export function formCases(world: World): fc.Arbitrary<HostileCase> {
  return fc.oneof(
    { arbitrary: signInCase(world), weight: 3 },
    { arbitrary: signUpCase(world), weight: 1 },
    { arbitrary: signerCase(world), weight: 3 },
  );
}
