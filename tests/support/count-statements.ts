import { watchStatements } from "#db/client";

/** Counts SQL statements executed while `run` runs, on either engine: nothing else may run SQL meanwhile. */
export async function countStatements(run: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const stop = watchStatements((source) => {
    count++;
    if (process.env.STATEMENTS_LOG) console.log(`SQL ${count}: ${source.replace(/\s+/g, " ").slice(0, 300)}`);
  });
  try {
    await run();
  } finally {
    stop();
  }
  return count;
}
