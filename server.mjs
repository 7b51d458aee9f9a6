// The app server: applies pending migrations, then serves Remix through Express. The same file runs
// development (Vite middleware) and production (the built app). It keeps no state of its own:
// sessions, sign-in throttles and the flags cache version live in the database, so several processes
// can serve the one SQLite file. In production it runs one worker per core (node:cluster, WORKERS or
// WEB_CONCURRENCY to choose; 1 = a single process): the primary migrates once, then forks.
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { setTimeout } from "node:timers";
import { constants as zlib } from "node:zlib";
import Database from "better-sqlite3";
import pg from "pg";
import compression from "compression";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import express from "express";
import expressStaticGzip from "express-static-gzip";
import { createRequestHandler } from "@remix-run/express";
import { runDataMigrations } from "./db/data-migrations.mjs";
import { configure, databaseFile, migrationsFolder, pgMigrationsFolder } from "./db/paths.mjs";
import { sweepRosterPreviews } from "./db/roster-previews.mjs";
import { mountBenchRoutes } from "./server/bench-routes.mjs";
import { pageEtags } from "./server/etag.mjs";
import { requestScope } from "./server/request-scope.mjs";
import { forbiddenPage } from "./server/forbidden-page.mjs";
import { originAllowed } from "./server/origin.mjs";
import { newNonce, securityHeaders } from "./server/security-headers.mjs";

const production = process.env.NODE_ENV === "production";
const buildDir = process.env.BUILD_DIR ?? "build";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const allowedOrigins = (process.env.ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean);

/** The PostgreSQL server, when the app runs on one (README: Deployment); else SQLite in DATA_DIR. */
const databaseUrl = process.env.DATABASE_URL?.trim() || undefined;

/**
 * What runs once per start, before any request is served. SQLite: schema and data migrations, the sweep
 * of abandoned roster previews. PostgreSQL: a check that the server answers (if not, one line naming the
 * host and exit 1, never SQLite instead), then its schema migrations.
 */
export async function prepareDatabase() {
  if (databaseUrl) {
    await checkServerDatabase(databaseUrl);
    // Several app servers may start at once: they take turns (an advisory lock), the first migrates.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query("select pg_advisory_lock(hashtext('renrentong migrations'))");
      await migratePg(drizzlePg(client), { migrationsFolder: pgMigrationsFolder });
    } finally {
      await client.end();
    }
    return;
  }
  const sqlite = configure(new Database(databaseFile()));
  try {
    migrate(drizzle(sqlite), { migrationsFolder });
    runDataMigrations(sqlite);
    sweepRosterPreviews(sqlite);
  } finally {
    sqlite.close();
  }
}

async function checkServerDatabase(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query("select 1");
  } catch (error) {
    const { hostname, port } = new URL(url);
    console.error(`database: cannot reach PostgreSQL at ${hostname}:${port || 5432} (${error?.message || error?.code || "no answer"}); DATABASE_URL is set, so the app will not start on SQLite`);
    process.exit(1);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Where the data lives, for the start-up line (no password). */
function whereData() {
  if (!databaseUrl) return databaseFile();
  const { hostname, port, pathname } = new URL(databaseUrl);
  return `PostgreSQL ${hostname}:${port || 5432}${pathname}`;
}

/** The built app's server module (production only). */
async function loadBuild() {
  return import(new URL(`./${buildDir}/server/index.js`, import.meta.url).href);
}

/**
 * One process: migrates, then serves (development, the end-to-end server, WORKERS=1).
 * @param {{ listen?: boolean }} [options]
 */
export async function startServer({ listen = true } = {}) {
  await prepareDatabase();
  const build = production ? await loadBuild() : undefined;
  // Rules that came after the data was written are applied to it once the schema is current.
  if (build) await build.entry.module.afterMigrations?.();
  if (build) build.entry.module.startBackgroundWork?.();
  return serve({ listen, build, afterMigrations: !build });
}

/**
 * Serves requests; the database is already migrated.
 * @param {{ listen?: boolean, build?: any, afterMigrations?: boolean }} options
 */
async function serve({ listen = true, build: built, afterMigrations = false }) {
  const vite = production ? undefined : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));

  const app = express();
  app.disable("x-powered-by");
  // When the request reached this process, before any other work on it (a hand-in's time: app/env.d.ts).
  app.use((_req, res, next) => {
    res.locals.receivedAt = Date.now();
    next();
  });
  // ETags only where server/etag.mjs decides they are safe, not on every res.send.
  app.set("etag", false);
  // Behind a reverse proxy, TRUST_PROXY (e.g. "loopback" or a hop count) makes req.ip and https real.
  if (process.env.TRUST_PROXY) app.set("trust proxy", /^\d+$/.test(process.env.TRUST_PROXY) ? Number(process.env.TRUST_PROXY) : process.env.TRUST_PROXY);
  // Pages are compressed as they are sent. Brotli quality 5 sends pages 10 % smaller than the module's
  // default 4 for about 10 µs more per page (npm run bench:compression); on a 133 kbps school link the
  // bytes matter. A 64 KB window (the default is 4 MB) holds any of our pages and makes each response's
  // encoder cheap to set up: with the default, Brotli halved a page's throughput (post page at 32
  // connections: 136–160 req/s against 296–360 with gzip; 290 with this window).
  app.use(compression({ brotli: { params: { [zlib.BROTLI_PARAM_QUALITY]: 5, [zlib.BROTLI_PARAM_LGWIN]: 16 } } }));
  // Anonymous pages that ask for it ("Cache-Control: private, no-cache") get an ETag and a 304 (server/etag.mjs).
  app.use(pageEtags);
  app.use((req, res, next) => {
    res.locals.cspNonce = newNonce();
    res.set(securityHeaders(res.locals.cspNonce, { development: !production }));
    next();
  });

  const refused = forbiddenPage(new URL("./locales", import.meta.url).pathname);
  app.use((req, res, next) => {
    if (originAllowed({ method: req.method, origin: req.get("origin"), host: req.get("host"), allowedOrigins })) return next();
    res.status(403).type("html").set("Cache-Control", "no-store").send(refused);
  });

  if (vite) {
    app.use(vite.middlewares);
  } else {
    // Hashed file names: cache for a year. Everything else in public/ for an hour. The build's .br and .gz
    // files (scripts/precompress-assets.mjs) are sent as they are when the browser takes them.
    const precompressed = { enableBrotli: true, orderPreference: ["br", "gzip"], index: false };
    app.use("/assets", expressStaticGzip(`${buildDir}/client/assets`, { ...precompressed, serveStatic: { immutable: true, maxAge: "1y" } }));
    // Only names with an extension can be files there: pages skip the file-system look-up.
    const publicFiles = expressStaticGzip(`${buildDir}/client`, { ...precompressed, serveStatic: { maxAge: "1h" } });
    app.use((req, res, next) => (/\.[a-z0-9]+$/i.test(req.path) ? publicFiles(req, res, next) : next()));
  }

  const build = vite ? () => vite.ssrLoadModule("virtual:remix/server-build") : (built ?? (await loadBuild()));
  if (afterMigrations) await (vite ? await build() : build).entry.module.afterMigrations?.();
  // npm run bench only: a bare reference route and a statement count (server/bench-routes.mjs).
  if (process.env.BENCH_ROUTES === "1") mountBenchRoutes(app, (vite ? await build() : build).entry.module.watchStatements);
  // Reads share one scope per request: what several loaders ask for is looked up once.
  app.all(
    "*",
    requestScope,
    createRequestHandler({
      build,
      mode: production ? "production" : "development",
      getLoadContext: (req, res) => ({ clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown", cspNonce: res.locals.cspNonce, receivedAt: res.locals.receivedAt }),
    }),
  );

  if (!listen) return app;
  return new Promise((resolve) => {
    const server = app.listen(port, host, () => {
      const who = cluster.isWorker ? `worker ${cluster.worker.id} (pid ${process.pid}) ` : "";
      console.log(`${who}serving on http://localhost:${port} (data: ${whereData()})`);
      resolve(server);
    });
  });
}

/** How many worker processes: WORKERS, else WEB_CONCURRENCY, else one per core; development always 1. */
export function workerCount(env = process.env) {
  if (env.NODE_ENV !== "production") return 1;
  const asked = Number.parseInt(env.WORKERS ?? env.WEB_CONCURRENCY ?? "", 10);
  return Number.isInteger(asked) && asked > 0 ? asked : availableParallelism();
}

/** Graceful shutdown of one serving process: stop accepting, let requests in flight finish, then exit. */
function stopOnSignal(server) {
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(0); // asked twice (a second Ctrl-C): at once
    stopping = true;
    server.close(() => process.exit(0));
    server.closeIdleConnections?.();
    // A request that hangs must not keep the process: give up after 10 s.
    setTimeout(() => process.exit(0), 10_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

/**
 * The primary of a cluster: migrates and applies the after-migration rules once, then forks `count`
 * workers that only serve. A worker that dies is replaced, after a pause that doubles (up to 30 s) while
 * workers keep dying soon after they start. SIGTERM/SIGINT: every worker finishes its requests and exits.
 */
async function startCluster(count) {
  await prepareDatabase();
  const build = await loadBuild();
  await build.entry.module.afterMigrations?.();
  build.entry.module.startBackgroundWork?.();
  console.log(`primary (pid ${process.pid}): database ready, starting ${count} workers`);
  let stopping = false;
  let backoffMs = 0;
  const startedAt = new Map();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  cluster.on("exit", (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker.id) ?? 0);
    startedAt.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    // Died within a minute of starting: wait longer each time; lived longer: start again at once.
    backoffMs = lived < 60_000 ? Math.min(Math.max(backoffMs * 2, 500), 30_000) : 0;
    console.error(`worker ${worker.id} (pid ${worker.process.pid}) died (${signal ?? `exit ${code}`}) after ${Math.round(lived / 1000)} s; starting another in ${backoffMs} ms`);
    setTimeout(fork, backoffMs);
  });
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`primary: ${signal}, stopping the workers`);
    const workers = Object.values(cluster.workers ?? {});
    if (!workers.length) process.exit(0);
    // A worker that is not serving yet simply ends; a serving one finishes its requests (stopOnSignal).
    for (const worker of workers) worker?.process.kill("SIGTERM");
    setTimeout(() => process.exit(0), 15_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  for (let i = 0; i < count; i++) fork();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (cluster.isWorker) {
    stopOnSignal(await serve({ build: await loadBuild() }));
  } else if (workerCount() > 1) {
    await startCluster(workerCount());
  } else {
    stopOnSignal(await startServer());
  }
}
