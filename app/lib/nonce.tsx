import { createContext, useContext } from "react";

/** The CSP nonce for inline scripts, provided by entry.server (empty in the browser). */
export const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
