import { sqlite } from "#db/client";

/** Counts SQL statements executed while `run` runs, whatever prepared them: nothing else may run SQL meanwhile. */
export async function countStatements(run: () => Promise<unknown>): Promise<number> {
  const proto = Object.getPrototypeOf(sqlite().prepare("select 1")) as Record<string, (...args: unknown[]) => unknown>;
  const names = ["get", "all", "run", "iterate"] as const;
  const originals = names.map((n) => proto[n]!);
  let count = 0;
  names.forEach((n, i) => {
    proto[n] = function (this: unknown, ...args: unknown[]) {
      count++;
      if (process.env.STATEMENTS_LOG) console.log(`SQL ${count}: ${(this as { source: string }).source.replace(/\s+/g, " ").slice(0, 300)}`);
      return originals[i]!.apply(this, args);
    };
  });
  try {
    await run();
  } finally {
    names.forEach((n, i) => (proto[n] = originals[i]!));
  }
  return count;
}
