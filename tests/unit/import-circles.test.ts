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

describe("the app's modules", () => {
  it("import each other without circles", () => {
    expect(circles(importGraph())).toEqual([]);
  });

  it("are all seen by this test (it would pass on an empty graph)", () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(150);
    expect(graph.get(join(APP, "domain/files.server.ts"))).toContain(join(APP, "domain/ids.server.ts"));
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
