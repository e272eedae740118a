import { sessionCookieName } from "../auth/cookies";
import { authenticateRequest, type RequestSession } from "../auth/request-session";
import { isSameOrigin } from "../auth/same-origin";
import { isRedisUnavailable } from "../redis";
import { jsonError, unauthorized, unavailable } from "./responses";

type Handler<Context> = (caller: RequestSession, request: Request, context: Context) => Promise<Response>;

/**
 * Wraps a route handler that needs a signed-in caller: 401 without a valid session,
 * 403 for a mutation authenticated by the cookie alone from another origin
 * (checked before any Redis call), 503 when Redis is unreachable. A request with
 * no credentials at all has nothing a forger could borrow: it gets the plain 401.
 */
export function withSession<Context>(handler: Handler<Context>, options: { mutates: boolean }) {
  return async (request: Request, context: Context): Promise<Response> => {
    const byCookie = request.headers.get("authorization") === null && hasSessionCookie(request);
    if (options.mutates && byCookie && !isSameOrigin(request)) {
      return jsonError(403, "cross-origin request refused: send the Origin header of this site, or use a bearer token");
    }
    try {
      const caller = await authenticateRequest(request);
      if (!caller) return unauthorized();
      return await handler(caller, request, context);
    } catch (error) {
      if (isRedisUnavailable(error)) return unavailable();
      throw error;
    }
  };
}

function hasSessionCookie(request: Request): boolean {
  const name = sessionCookieName();
  return (request.headers.get("cookie") ?? "").split(";").some((part) => part.trim().startsWith(`${name}=`));
}
