// Who is told of each statement an engine runs: the statement-count tests and `npm run bench`'s per-page
// count. Empty (and free) otherwise.
export const statementWatchers = new Set<(source: string) => void>();

export function noteStatement(source: string): void {
  for (const watch of statementWatchers) watch(source);
}
