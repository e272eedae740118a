import { encodeForm, fillForm, readForm } from "./html-form";
import { fromRaw, fromReply, judge, sessionCookiesSet, type Outcome } from "./hostile-judge";
import type { Expect, FormSubmission, HostileCase } from "./hostile-model";
import { createHttpClient, inPool, semaphore, sendRaw, type OutgoingRequest } from "./raw-http";

// Sends hostile cases a fixed number at a time and judges every answer. A form
// case is two requests, as in a browser: the page, then the form posted back.

export type Failure = { label: string; sent: string; status?: number; problems: string[] };
export type CreatedAccount = { email: string; cookie: string };
/** `answers` counts statuses per kind of request ("POST /login (as rendered) → 200"), to show what the run reached. */
export type RunResult = { failures: Failure[]; requests: number; answers: Map<string, number>; accounts: CreatedAccount[] };

/** Requests in flight at once: enough to keep two cores busy, few enough to leave the server room. */
const CONCURRENCY = 12;
/** The signer's sign-ins at once: below the per-email+IP limit (5), which counts an attempt before its password is checked. */
const SIGNER_LANE = 3;

function clip(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length)}… (${text.length} chars)` : text;
}

/** Enough of what was sent to replay it by hand. */
function summary(request: OutgoingRequest | Buffer): string {
  if (Buffer.isBuffer(request)) return clip(request.toString("latin1"), 600);
  return clip(`${request.method} ${request.path} ${JSON.stringify(request.headers)} ${request.body ? request.body.toString("latin1") : ""}`, 600);
}

/** A form post by what was typed into it rather than its encoded body (whose hidden fields are the page's own). */
function formSummary(path: string, enctype: string, values: Record<string, string>): string {
  const typed = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, clip(value, 200)]));
  return `${clip(`POST ${path}`, 300)} as ${enctype}, typed ${JSON.stringify(typed)}`;
}

export function createRunner(port: number, origin: string): { run(cases: HostileCase[]): Promise<RunResult>; close(): void } {
  const client = createHttpClient(port, CONCURRENCY);

  async function run(cases: HostileCase[]): Promise<RunResult> {
    const result: RunResult = { failures: [], requests: 0, answers: new Map(), accounts: [] };
    const signerLane = semaphore(SIGNER_LANE);
    const check = (label: string, sent: string, outcome: Outcome, expect: Expect): void => {
      result.requests++;
      const answer = `${label} → ${outcome.status}`;
      result.answers.set(answer, (result.answers.get(answer) ?? 0) + 1);
      const problems = judge(expect, outcome, origin);
      if (problems.length > 0) result.failures.push({ label, sent, status: outcome.status, problems });
    };

    async function submit(c: HostileCase & { form: FormSubmission }): Promise<void> {
      const { page, values, enctype, origin: postOrigin } = c.form;
      const get: OutgoingRequest = { method: "GET", path: page, headers: {} };
      const pageReply = fromReply(await client.send(get));
      // A link too long for the server's limits (414, 431) cannot be followed by a browser either: nothing to post.
      check(`GET the page of ${c.label}`, summary(get), pageReply, { statuses: [200, 414, 431], session: "never" });
      if (pageReply.status !== 200) return;
      const form = readForm(pageReply.body.toString("utf8"));
      if (!form) {
        result.failures.push({ label: c.label, sent: summary(get), status: 200, problems: ["the page has no form"] });
        return;
      }
      const encoding = enctype ?? form.enctype;
      const encoded = await encodeForm(fillForm(form, values), encoding);
      const target = new URL(form.action, `${origin}${page}`);
      const headers: Record<string, string> = { "content-type": encoded.contentType, ...(postOrigin ? { origin: postOrigin } : {}) };
      const post: OutgoingRequest = { method: form.method, path: `${target.pathname}${target.search}`, headers, body: encoded.body };
      const outcome = fromReply(await client.send(post));
      check(c.label, formSummary(post.path, encoding, values), outcome, c.expect);
      const cookie = sessionCookiesSet(outcome)[0];
      if (c.expect.session === "signup" && cookie) result.accounts.push({ email: values.email, cookie: cookie.split(";")[0] });
    }

    async function send(c: HostileCase): Promise<void> {
      if ("form" in c) return submit(c);
      if ("raw" in c) return check(c.label, summary(c.raw), fromRaw(await sendRaw(port, c.raw)), c.expect);
      check(c.label, summary(c.request), fromReply(await client.send(c.request)), c.expect);
    }

    await inPool(cases, CONCURRENCY, async (c) => {
      try {
        await (c.lane === "signer" ? signerLane(() => send(c)) : send(c));
      } catch (error) {
        const sent = "form" in c ? c.form.page : summary("raw" in c ? c.raw : c.request);
        result.failures.push({ label: c.label, sent, problems: [`no answer: ${error instanceof Error ? error.message : String(error)}`] });
      }
    });
    return result;
  }

  return { run, close: () => client.close() };
}

export function failureReport(failures: Failure[], replay: string): string {
  if (failures.length === 0) return "no failures";
  const shown = failures.slice(0, 20).map((failure) => JSON.stringify(failure)).join("\n");
  return `${failures.length} failing answer(s) (replay with ${replay}); the first ${Math.min(20, failures.length)}:\n${shown}`;
}
