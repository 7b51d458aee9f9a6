// Array helpers for async steps taken one at a time, in order (a query per item waits for the one before:
// the same order of writes as before, and one connection is never asked for two things at once).

export async function mapInOrder<T, R>(items: Iterable<T>, step: (item: T, index: number) => Promise<R> | R): Promise<R[]> {
  const results: R[] = [];
  let index = 0;
  for (const item of items) results.push(await step(item, index++));
  return results;
}

export async function forEachInOrder<T>(items: Iterable<T>, step: (item: T, index: number) => Promise<unknown> | unknown): Promise<void> {
  let index = 0;
  for (const item of items) await step(item, index++);
}

export async function filterInOrder<T>(items: Iterable<T>, keep: (item: T, index: number) => Promise<boolean> | boolean): Promise<T[]> {
  const kept: T[] = [];
  let index = 0;
  for (const item of items) if (await keep(item, index++)) kept.push(item);
  return kept;
}

export async function findInOrder<T>(items: Iterable<T>, match: (item: T, index: number) => Promise<boolean> | boolean): Promise<T | undefined> {
  let index = 0;
  for (const item of items) if (await match(item, index++)) return item;
  return undefined;
}

export async function someInOrder<T>(items: Iterable<T>, match: (item: T, index: number) => Promise<boolean> | boolean): Promise<boolean> {
  let index = 0;
  for (const item of items) if (await match(item, index++)) return true;
  return false;
}

export async function everyInOrder<T>(items: Iterable<T>, match: (item: T, index: number) => Promise<boolean> | boolean): Promise<boolean> {
  let index = 0;
  for (const item of items) if (!(await match(item, index++))) return false;
  return true;
}
