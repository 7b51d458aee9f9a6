// Security headers for every response (OWASP secure headers): a Content-Security-Policy that allows
// no inline script except Remix's own, which carries this request's nonce; no plugins, no <base>, no
// framing. Styles may be inline (the rich-text editor sets them); images may be data:/blob: (previews).
import { randomBytes } from "node:crypto";

/** A fresh nonce per response: 128 random bits, base64. */
export function newNonce() {
  return randomBytes(16).toString("base64");
}

/**
 * @param {string} nonce
 * @param {{ development?: boolean }} [options] Vite's dev server injects inline scripts and a websocket.
 * @returns {string}
 */
export function contentSecurityPolicy(nonce, { development = false } = {}) {
  const script = development ? "'self' 'unsafe-inline'" : `'self' 'nonce-${nonce}'`;
  return [
    "default-src 'self'",
    `script-src ${script}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:", // the language switcher's inline autonym font (app/styles/fonts/subsets.css)
    `connect-src 'self'${development ? " ws: wss:" : ""}`,
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join("; ");
}

/**
 * The headers every response carries.
 * @param {string} nonce
 * @param {{ development?: boolean }} [options]
 * @returns {Record<string, string>}
 */
export function securityHeaders(nonce, options) {
  return {
    "Content-Security-Policy": contentSecurityPolicy(nonce, options),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
  };
}
