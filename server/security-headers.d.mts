export function newNonce(): string;
export function contentSecurityPolicy(nonce: string, options?: { development?: boolean }): string;
export function securityHeaders(nonce: string, options?: { development?: boolean }): Record<string, string>;
