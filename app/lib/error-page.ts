// What an error page says, decided once for the root error boundary and for resource routes (CSV,
// XLSX, ZIP, file downloads), which have no boundary and answer with a small page of their own.

/** The locale keys of an error page's heading and text for a status and, if any, a domain reason. */
export function errorPageKeys(status: number, messageKey: string | null, exists: (key: string) => boolean): { titleKey: string; bodyKey: string } {
  const kind = status === 404 ? "notFound" : status === 403 || status === 401 ? "forbidden" : "server";
  // A domain refusal names its reason (e.g. "flags:notYetOpen"); the key's "Title" sibling, if any, heads the page.
  return {
    titleKey: messageKey && exists(`${messageKey}Title`) ? `${messageKey}Title` : `errors:${kind}Title`,
    bodyKey: messageKey ?? `errors:${kind}Body`,
  };
}
