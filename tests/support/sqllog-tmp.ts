import { sqlite } from "#db/client";
export async function logStatements(label: string, run: () => Promise<unknown>) {
  const proto = Object.getPrototypeOf(sqlite().prepare("select 1")) as Record<string, (...args: unknown[]) => unknown>;
  const names = ["get", "all", "run", "iterate"] as const;
  const originals = names.map((n) => proto[n]!);
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    proto[n] = function (this: { source: string }, ...args: unknown[]) {
      const k = this.source.slice(0, 230);
      seen.set(k, (seen.get(k) ?? 0) + 1);
      return originals[i]!.apply(this, args);
    };
  });
  try { await run(); } finally { names.forEach((n, i) => (proto[n] = originals[i]!)); }
  console.log("=== " + label + "\n" + [...seen].map(([k, v]) => `${v}x ${k}`).join("\n"));
}
