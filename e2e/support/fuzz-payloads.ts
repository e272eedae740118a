// The fixed payload lists the value families draw from (see fuzz-values.ts).

export const GLOBS = [
  "*", "?", "**", "*:*", "[a-z]*", "[^a]*", "{a,b}", "\\*", "session:token:*", "session:token:?", "session:user:*", "session:*",
  "ratelimit:*", "ratelimit:login:*", "session:token:[A-Za-z0-9_-]*", "KEYS *", "SCAN 0 MATCH *", "h?llo", "h*llo", "h[ae]llo",
];

export const LUA = [
  "redis.call('FLUSHALL')", "]]--", "--[[", "]]", "'); redis.call('FLUSHALL') --", "\"]] redis.call('KEYS','*') --[[",
  "return redis.call('DEL', KEYS[1])", "KEYS[1]", "ARGV[1]", "local x = 1", "os.exit()", "string.rep('a', 1e9)", "cjson.decode('[')",
  "redis.pcall('CONFIG','SET','dir','/tmp')", "EVAL \"return 1\" 0", "SCRIPT FLUSH", "FLUSHDB", "*1\r\n$8\r\nFLUSHALL\r\n",
  "\r\n*1\r\n$8\r\nFLUSHALL\r\n", "a\r\nFLUSHALL\r\n", "\\0", "\u0000FLUSHALL",
];

export const SQL = [
  "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "admin'--", "1; DROP TABLE users; --", "' UNION SELECT password_hash FROM users --",
  "%' --", "'; UPDATE users SET is_admin = 1; --", "1' AND SLEEP(5)#", "\\'; --", "NULL", "0x27", "' OR email LIKE '%", "');--",
];

export const TRAVERSAL = [
  "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2f", "....//....//", "..\\..\\windows\\win.ini", "/..;/admin",
  "/%2e%2e/admin", "/./admin", "/devices/../../admin", "//evil.example", "///evil.example", "////evil.example/x", "/\\evil.example",
  "\\\\evil.example", "\\/evil.example", "/%5Cevil.example", "/%2F%2Fevil.example", "%2F%2Fevil.example", "/.%2F%2Fevil.example",
  "https://evil.example", "https:evil.example", "http:/evil.example", "HTTPS://EVIL.EXAMPLE", "//evil.example/%2e%2e",
  "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "/\t/evil.example", "/ /evil.example", "/%09/evil.example",
  "/%0d%0a/evil.example", "@evil.example", "/@evil.example", "//user@evil.example", ".evil.example", "/login?next=//evil.example",
  "/\u3002evil.example", "//evil\u3002example", "/\uff0f\uff0fevil.example", "//evil%E3%80%82example", "file:///etc/passwd",
  "/%00", "/..", "/.", "..", ".", "/?next=//evil.example", "/#//evil.example", "//localhost@evil.example",
];

export const XSS = [
  "\"><script>alert(1)</script>", "'><img src=x onerror=alert(1)>", "</script><script>alert(1)</script>", "<svg/onload=alert(1)>",
  "\"><iframe src=javascript:alert(1)>", "{{7*7}}${7*7}",
];

/** The part of an XSS payload that must never come back verbatim in HTML. */
export const XSS_MARKERS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg/onload=alert(1)>", "<iframe src=javascript:alert(1)>"];

export const PERCENT = [
  "%", "%%", "%zz", "%g0", "%E0%A4%A", "%ff", "%FF%FE", "%C0%AF", "%c0%ae%c0%ae/", "%00", "%2525", "%u0041", "%%32%35", "%e2%80%a8",
  "%0d%0a", "%0D%0ASet-Cookie:%20evil=1", "%3Cscript%3E", "%252F%252Fevil.example", "%41%41%41",
];
