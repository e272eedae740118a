import { readCredential } from "../auth/credential";
import { authenticateRequest, type RequestSession } from "../auth/request-session";
import { isSameOrigin } from "../auth/same-origin";
import { unlessOutage } from "../outage";
import { jsonError, unauthorized, unavailable } from "./responses";

type Handler<Context> = (caller: RequestSession, request: Request, context: Context) => Promise<Response>;

/**
 * Wraps a route handler that needs a signed-in caller: 401 without a valid session,
 * 403 for a mutation authenticated by the cookie from another origin (checked
 * before any Redis call), 503 when Redis cannot serve. A request with no
 * credentials at all has nothing a forger could borrow: it gets the plain 401.
 */
export function withSession<Context>(handler: Handler<Context>, options: { mutates: boolean }) {
  return async (request: Request, context: Context): Promise<Response> => {
    // A cookie of the wrong shape authenticates nothing (known without Redis): 401, like none.
    const credential = readCredential(request.headers, "bearer-or-cookie");
    const byCookie = credential?.via === "cookie" && credential.token !== undefined;
    if (options.mutates && byCookie && !isSameOrigin(request)) {
      return jsonError(403, "cross-origin request refused: send the Origin header of this site, or use a bearer token");
    }
    return unlessOutage(async () => {
      const caller = await authenticateRequest(request);
      return caller ? handler(caller, request, context) : unauthorized();
    }, unavailable);
  };
}
