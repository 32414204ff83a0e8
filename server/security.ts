import { randomBytes } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/** Per-request CSP nonce and the security headers every response carries. */
export function securityHeaders(options: { secure: boolean; dev: boolean }) {
  return (_req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    const csp = [
      "default-src 'self'",
      options.dev ? `script-src 'self' 'nonce-${nonce}' 'unsafe-inline'` : `script-src 'self' 'nonce-${nonce}'`,
      options.dev ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
      "img-src 'self' data:",
      "font-src 'self'",
      options.dev ? "connect-src 'self' ws:" : "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "object-src 'none'",
    ].join("; ");
    res.setHeader("Content-Security-Policy", csp);
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (options.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  };
}

/** Pages may be personal: never store them in shared caches. */
export function noStore(req: Request, res: Response, next: NextFunction) {
  if (!req.path.startsWith("/assets/")) res.setHeader("Cache-Control", "no-store");
  next();
}

/**
 * Refuse state-changing requests sent from another site (defence in depth
 * beside SameSite=Lax cookies). With Referrer-Policy no-referrer, browsers send
 * `Origin: null` on form posts; those are judged by Sec-Fetch-Site instead, and
 * the opaque origin is removed so the framework's own origin check can pass.
 */
export function sameOriginWrites(allowedOrigin: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    const origin = req.get("origin");
    const fetchSite = req.get("sec-fetch-site");
    const ownOrigin = `${req.protocol}://${req.get("host")}`;
    const crossSite = fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none";
    if (origin === "null") {
      if (crossSite) return refuse(res);
      delete req.headers.origin;
      return next();
    }
    if ((origin && origin !== allowedOrigin && origin !== ownOrigin) || crossSite) return refuse(res);
    next();
  };
}

function refuse(res: Response) {
  res.status(403).type("text/plain").send("Cross-origin request refused");
}

export const CLIENT_IP_HEADER = "x-panel-client-ip";

/** Pass the socket's address to the app in a header the client cannot set. */
export function clientIp(req: Request, _res: Response, next: NextFunction) {
  delete req.headers[CLIENT_IP_HEADER];
  req.headers[CLIENT_IP_HEADER] = req.ip ?? req.socket.remoteAddress ?? "";
  next();
}
