// Where to land after sign-in. Only a path on this site is accepted: anything that
// could leave it ("//evil.example", "/\\evil.example", "https://…", control
// characters) falls back to "/", so the login page is never an open redirect.

const BASE = "http://same-site.invalid";

export function safeNextPath(next: string | null | undefined): string {
  if (!next || next.length > 2048 || !next.startsWith("/") || /[\u0000-\u001f\\]/.test(next)) return "/";
  if (next.startsWith("//")) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
