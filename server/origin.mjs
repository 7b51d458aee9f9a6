// The cross-site request check for every non-GET request (OWASP ASVS; the Lucia guide's CSRF
// defence next to SameSite=Lax): the Origin header must name this site. A request without Origin is
// refused too; every browser this product supports sends it on POST.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * @param {{ method: string, origin: string | undefined, host: string | undefined, allowedOrigins?: string[] }} request
 * @returns {boolean} whether the request may go on
 */
export function originAllowed({ method, origin, host, allowedOrigins = [] }) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (!origin || origin === "null") return false;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return Boolean(host) && new URL(origin).host === host;
  } catch {
    return false;
  }
}
