// Where to land after sign-in: `next` is resolved, then judged. Checking the raw
// text is not enough, because the URL parser rewrites it ("/.//evil.example/",
// "/%2e//evil.example/" and "/a/..//evil.example/" all become the path
// "//evil.example/", which a browser reads as another host). So the verdict is on
// the resolved URL, and the path handed back must itself survive the browser
// resolving it again, unchanged and on this site. Anything else falls back to "/".
// The origin is a stand-in: only the path is returned, so the real one need not be known.

const ORIGIN = "http://same-site.invalid";

export function safeNextPath(next: string | null | undefined): string {
  // The app only ever writes an absolute path here; control characters and
  // backslashes have no place in one and are read loosely by parsers.
  if (!next || next.length > 2048 || !next.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(next)) return "/";
  let url: URL;
  try {
    url = new URL(next, ORIGIN);
  } catch {
    return "/";
  }
  if (url.origin !== ORIGIN) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (path.startsWith("//") || path.startsWith("/\\")) return "/";
  return new URL(path, ORIGIN).href === url.href ? path : "/";
}
