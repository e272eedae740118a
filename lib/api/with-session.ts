import { authenticateRequest, type RequestSession } from "../auth/request-session";
import { isRedisUnavailable } from "../redis";
import { jsonError, unauthorized, unavailable } from "./responses";
import { isSameOrigin } from "../auth/same-origin";

type Handler<Context> = (caller: RequestSession, request: Request, context: Context) => Promise<Response>;

/**
 * Wraps a route handler that needs a signed-in caller: 401 without a valid session,
 * 403 for a cookie-only mutation from another origin (checked before any Redis
 * call), 503 when Redis is unreachable.
 */
export function withSession<Context>(handler: Handler<Context>, options: { mutates: boolean }) {
  return async (request: Request, context: Context): Promise<Response> => {
    const cookieOnly = request.headers.get("authorization") === null;
    if (options.mutates && cookieOnly && !isSameOrigin(request)) {
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
