// Roster previews hold a whole school's pupil data (names, birth dates, guardians' phones) until they
// are imported. One not imported within a week is abandoned: it is deleted, rows and all, at every
// start of the server and on every new upload. Plain JS so server.mjs can run it before Remix loads.

/** How long a preview waits to be imported. */
export const ROSTER_PREVIEW_DAYS = 7;

/** Deletes previews (and discarded uploads) older than ROSTER_PREVIEW_DAYS; returns how many. */
export function sweepRosterPreviews(sqlite, now = Date.now()) {
  const before = now - ROSTER_PREVIEW_DAYS * 86_400_000;
  return sqlite.prepare("delete from roster_imports where status != 'imported' and created_at < ?").run(before).changes;
}
