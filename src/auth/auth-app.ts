/**
 * HTTP Basic authentication in front of an App (--auth): a request it guards passes with a
 * known user's password, else it gets 401 and a challenge (RFC 7235 §3.1, RFC 7617); an address
 * with too many failures gets 429 with Retry-After (RFC 6585 §4) until its block ends.
 */
import type { App, Handler, RequestContext } from "../app.ts";
import { errorResponse } from "../http/error-page.ts";
import type { RequestHead } from "../http/parser/request-head.ts";
import type { HttpResponse } from "../http/response.ts";
import type { Clock } from "../ports/clock.ts";
import { challenge, parseBasic } from "./basic.ts";
import type { UserTable } from "./credentials.ts";
import { FailureLimiter } from "./failure-limiter.ts";
import { verify } from "./verify.ts";

/** Which requests need credentials: all, or only those that change something (--auth-scope). */
export type AuthScope = "all" | "writes";

export const AUTH_SCOPES: readonly AuthScope[] = ["all", "writes"];

export interface AuthPolicy {
  /** The users now (a reload swaps the table). */
  readonly users: () => UserTable;
  readonly scope: AuthScope;
  readonly realm: string;
  /** Whether a request's path needs authentication (--auth-path, compose/auth-paths.ts); absent: every path. */
  readonly guardsPath?: (head: RequestHead) => boolean;
}

export interface AuthDeps {
  readonly clock: Clock;
  /** One line per failed attempt and per block (rate-limited by the caller). */
  readonly log: (line: string) => void;
  readonly limiter?: FailureLimiter;
}

/** RFC 9110 §9.2.1: the safe methods read; every other method may change something. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isGuarded(scope: AuthScope, head: RequestHead): boolean {
  return scope === "all" || !SAFE_METHODS.has(head.method);
}

export function authApp(app: App, policy: AuthPolicy, deps: AuthDeps): App {
  const limiter = deps.limiter ?? new FailureLimiter();
  // RFC 9110 §11.6.1: a 401 carries the challenge. Never cached: the answer depends on who asks.
  const unauthorized = errorResponse(401, [["WWW-Authenticate", challenge(policy.realm)], [
    "Cache-Control",
    "no-store",
  ]]);
  const check = async (head: RequestHead, context: RequestContext): Promise<HttpResponse> => {
    const address = context.client.address;
    const now = deps.clock.now();
    const verdict = limiter.check(address, now);
    if (verdict.kind === "blocked") return tooMany(verdict.retryAfterSeconds);
    const given = authorization(head);
    const credentials = given === null ? null : parseBasic(given);
    if (credentials !== null && await verify(policy.users(), credentials.user, credentials.password)) {
      return app.handle(head, context);
    }
    // A request without credentials is a browser asking for the dialog, not a failed attempt.
    if (given === null) return unauthorized;
    // The address before the user name, which the client chose: a fail2ban pattern anchors on it.
    deps.log(`sundial: auth: failed login from ${address} for user ${quoted(credentials?.user ?? null)}`);
    if (limiter.fail(address, now)) {
      deps.log(`sundial: auth: ${address} blocked: too many failed logins in a minute`);
    }
    return unauthorized;
  };
  // Requests outside the scope go straight to the app, without a promise of their own.
  const guardsPath = policy.guardsPath ?? (() => true);
  const handle: Handler = (head, context) =>
    isGuarded(policy.scope, head) && guardsPath(head) ? check(head, context) : app.handle(head, context);
  return { handle, headers: app.headers, readsBodies: app.readsBodies ?? false };
}

function authorization(head: RequestHead): string | null {
  for (const [name, value] of head.headers) if (name === "authorization") return value;
  return null;
}

/** RFC 6585 §4: 429, and how long to wait (RFC 9110 §10.2.3). */
function tooMany(seconds: number): HttpResponse {
  return errorResponse(429, [["Retry-After", String(seconds)], ["Cache-Control", "no-store"]]);
}

/** The user name as one safe token of a log line: quoted, escaped, at most 64 characters. */
function quoted(user: string | null): string {
  if (user === null) return "(malformed credentials)";
  return JSON.stringify(user.length > 64 ? `${user.slice(0, 64)}...` : user);
}
