// Only with BENCH_ROUTES=1 (npm run bench starts the server so; never in production): a bare route as the
// throughput reference, and a count of the SQL statements this process has run, so the benchmark can
// read how many statements one request cost (it sends one request at a time to a single worker).
import Database from "better-sqlite3";

let statements = 0;
// BENCH_SQL_LOG=1 also prints each statement (finding what a page asks more than once).
const logStatements = process.env.BENCH_SQL_LOG === "1";

/** Counts every statement run through better-sqlite3 in this process (get, all, run, iterate). */
function countStatements() {
  const probe = new Database(":memory:");
  const proto = Object.getPrototypeOf(probe.prepare("select 1"));
  probe.close();
  for (const name of ["get", "all", "run", "iterate"]) {
    const original = proto[name];
    proto[name] = function (...args) {
      statements++;
      if (logStatements) console.log("SQL", this.source.replace(/\s+/g, " ").slice(0, 220));
      return original.apply(this, args);
    };
  }
}

/** @param {import("express").Express} app */
export function mountBenchRoutes(app) {
  countStatements();
  app.get("/__bench/hello", (_req, res) => res.type("text").send("hello"));
  app.get("/__bench/statements", (_req, res) => res.json({ statements }));
}
