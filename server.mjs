// The app server: applies pending migrations, then serves Remix through Express. The same file runs
// development (Vite middleware) and production (the built app). It keeps no state of its own:
// sessions live in the database, so several can run behind a load balancer.
import Database from "better-sqlite3";
import compression from "compression";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import express from "express";
import expressStaticGzip from "express-static-gzip";
import { createRequestHandler } from "@remix-run/express";
import { runDataMigrations } from "./db/data-migrations.mjs";
import { configure, databaseFile, migrationsFolder } from "./db/paths.mjs";
import { sweepRosterPreviews } from "./db/roster-previews.mjs";
import { forbiddenPage } from "./server/forbidden-page.mjs";
import { originAllowed } from "./server/origin.mjs";
import { newNonce, securityHeaders } from "./server/security-headers.mjs";

const production = process.env.NODE_ENV === "production";
const buildDir = process.env.BUILD_DIR ?? "build";
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "0.0.0.0";
const allowedOrigins = (process.env.ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean);

export async function startServer({ listen = true } = {}) {
  const sqlite = configure(new Database(databaseFile()));
  migrate(drizzle(sqlite), { migrationsFolder });
  runDataMigrations(sqlite);
  sweepRosterPreviews(sqlite);
  sqlite.close();

  const vite = production
    ? undefined
    : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));

  const app = express();
  app.disable("x-powered-by");
  // Behind a reverse proxy, TRUST_PROXY (e.g. "loopback" or a hop count) makes req.ip and https real.
  if (process.env.TRUST_PROXY) app.set("trust proxy", /^\d+$/.test(process.env.TRUST_PROXY) ? Number(process.env.TRUST_PROXY) : process.env.TRUST_PROXY);
  app.use(compression());
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
    app.use(expressStaticGzip(`${buildDir}/client`, { ...precompressed, serveStatic: { maxAge: "1h" } }));
  }

  const build = vite ? () => vite.ssrLoadModule("virtual:remix/server-build") : await import(new URL(`./${buildDir}/server/index.js`, import.meta.url).href);
  // Rules that came after the data was written are applied to it once the schema is current.
  (vite ? await build() : build).entry.module.afterMigrations?.();
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: production ? "production" : "development",
      getLoadContext: (req, res) => ({ clientAddress: req.ip ?? req.socket.remoteAddress ?? "unknown", cspNonce: res.locals.cspNonce }),
    }),
  );

  if (!listen) return app;
  return new Promise((resolve) => {
    const server = app.listen(port, host, () => {
      console.log(`serving on http://localhost:${port} (data: ${databaseFile()})`);
      resolve(server);
    });
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await startServer();
