// Only with BENCH_ROUTES=1 (npm run bench starts the server so; never in production): a bare route as the
// throughput reference, and a count of the SQL statements this process has run, so the benchmark can
// read how many statements one request cost (it sends one request at a time to a single worker).

// BENCH_SQL_LOG=1 also prints each statement (finding what a page asks more than once).
const logStatements = process.env.BENCH_SQL_LOG === "1";

/**
 * @param {import("express").Express} app
 * @param {((watch: (source: string) => void) => unknown) | undefined} watchStatements the app's hook (db/client), on either engine
 */
export function mountBenchRoutes(app, watchStatements) {
  let statements = 0;
  watchStatements?.((source) => {
    statements++;
    if (logStatements) console.log("SQL", source.replace(/\s+/g, " ").slice(0, 220));
  });
  app.get("/__bench/hello", (_req, res) => res.type("text").send("hello"));
  app.get("/__bench/statements", (_req, res) => res.json({ statements }));
}
