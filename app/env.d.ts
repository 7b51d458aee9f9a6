import "@remix-run/node";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as the server saw it (behind a proxy: per TRUST_PROXY). */
    clientAddress: string;
    /** This response's Content-Security-Policy nonce (server.mjs); Remix's inline scripts carry it. */
    cspNonce?: string;
    /** When the request reached the server process (ms), before any work on it: a hand-in's time. */
    receivedAt?: number;
  }
}
