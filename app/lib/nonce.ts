// The Content-Security-Policy nonce of the response being rendered (server.mjs makes one per request).
// The server renders the page inside a provider; in the browser it is empty, as browsers hide nonces.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
