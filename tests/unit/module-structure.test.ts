import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Issue 18 item 8: no module of the app imports, through any chain, a module that imports it back
// (type-only imports included: a circle of types is still two modules that cannot be understood apart).
const APP = resolve(__dirname, "../../app");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function resolveImport(from: string, spec: string): string | null {
  const base = spec.startsWith("~/") ? join(APP, spec.slice(2)) : spec.startsWith(".") ? resolve(dirname(from), spec) : null;
  if (!base) return null;
  for (const ext of ["", ".ts", ".tsx", "/index.ts"]) {
    const path = base + ext;
    if (existsSync(path) && statSync(path).isFile()) return path;
  }
  return null;
}

/** Each module's imports within the app: static (`import … from`, `export … from`) and dynamic. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(APP)) {
    const text = readFileSync(file, "utf8");
    const specs = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms), ...text.matchAll(/import\("([^"]+)"\)/g)].map((m) => m[1]!);
    graph.set(file, [...new Set(specs.map((spec) => resolveImport(file, spec)).filter((path): path is string => path !== null))]);
  }
  return graph;
}

/** Groups of modules that reach each other (Tarjan's strongly connected components of two or more). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(relative(APP, w));
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * The domain's folders, one per capability, from the bottom up. A folder's modules import only from their
 * own folder and the folders listed before it, so the tree reads from foundations to overviews.
 */
const DOMAIN_LAYERS = [
  "foundation", // errors, ids, the acting user, Beijing time, plain and rich text, recording audit events
  "places", // regions, schools, their places and local names
  "people", // people, pupils, consent state, a parent's linked children
  "rollout", // phases, feature flags, who sees whom, adoption, reading the audit log
  "accounts", // activation, passwords, sign-in throttling, sessions, language
  "families", // linking parents by slip codes, consent forms
  "notices", // notifications
  "uploads", // storing and attaching files
  "spaces", // personal spaces, profiles, blog posts, comments
  "groups", // study groups, their members and threads
  "classwork", // classes, lessons, announcements, assignments, where each pupil's work stands
  "library", // the region resource library: its catalogue, who sees what, search, reviews, ratings, the plan's figures
  "provisioning", // roster import
  "downloads", // who may open a file, thumbnails, copies of files between places
  "portfolio", // portfolio items
  "grading", // grades, feedback, acknowledgements from home
  "group-work", // group tasks and the group library
  "library-use", // offering resources with their files, using them in lessons and classes
  "overviews", // home, class space, a parent's progress view, feed, follows, weekly summaries
];

const DOMAIN = join(APP, "domain");
const layerOf = (file: string) => {
  const rel = relative(DOMAIN, file);
  return rel.startsWith("..") ? null : rel.split("/")[0]!;
};

/** Imports that go up or sideways between the domain's folders, or from the domain into routes and components. */
function layeringBreaks(graph: Map<string, string[]>): string[] {
  const breaks: string[] = [];
  for (const [from, targets] of graph) {
    const fromLayer = layerOf(from);
    if (fromLayer === null) continue;
    for (const to of targets) {
      const toLayer = layerOf(to);
      if (toLayer === null) {
        if (/^(routes|components)\//.test(relative(APP, to))) breaks.push(`${relative(APP, from)} → ${relative(APP, to)}`);
      } else if (DOMAIN_LAYERS.indexOf(toLayer) > DOMAIN_LAYERS.indexOf(fromLayer)) breaks.push(`${relative(APP, from)} → ${relative(APP, to)}`);
    }
  }
  return breaks;
}

describe("the domain's folders", () => {
  it("are all listed in order, with no module left at the top", () => {
    const entries = readdirSync(DOMAIN);
    expect(entries.filter((name) => !statSync(join(DOMAIN, name)).isDirectory())).toEqual([]);
    expect(entries.sort()).toEqual([...DOMAIN_LAYERS].sort());
  });

  it("depend only downward", () => {
    expect(layeringBreaks(importGraph())).toEqual([]);
  });

  it("finds an import that goes up", () => {
    const grading = join(DOMAIN, "grading/grading.server.ts");
    const people = join(DOMAIN, "people/people.server.ts");
    expect(layeringBreaks(new Map([[people, [grading]], [grading, [people]]]))).toEqual(["domain/people/people.server.ts → domain/grading/grading.server.ts"]);
  });
});

describe("the app's modules", () => {
  it("import each other without circles", () => {
    expect(circles(importGraph())).toEqual([]);
  });

  it("are all seen by this test (it would pass on an empty graph)", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get(join(APP, "domain/uploads/files.server.ts"))).toContain(join(APP, "domain/foundation/ids.server.ts"));
  });

  it("finds a circle when there is one", () => {
    const a = join(APP, "a.ts");
    const b = join(APP, "b.ts");
    expect(
      circles(
        new Map([
          [a, [b]],
          [b, [a]],
        ]),
      ),
    ).toEqual([["a.ts", "b.ts"]]);
  });
});

describe("the app and the database engines", () => {
  // Issue 18: the domain is written once; only db/ knows SQLite from PostgreSQL.
  const DRIVERS = /from "(better-sqlite3|pg|postgres|drizzle-orm\/(better-sqlite3|node-postgres|sqlite-core|pg-core|sqlite-proxy|postgres-js)[^"]*)"/;
  it("never imports an engine's driver or dialect", () => {
    const offenders = sources(resolve("app")).filter((file) => DRIVERS.test(readFileSync(file, "utf8")));
    expect(offenders.map((f) => relative(process.cwd(), f))).toEqual([]);
  });
  it("finds one that does", () => {
    expect(DRIVERS.test('import pg from "pg";')).toBe(true);
    expect(DRIVERS.test('import { sqliteTable } from "drizzle-orm/sqlite-core";')).toBe(true);
  });
});
