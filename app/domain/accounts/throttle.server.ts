// Failed-attempt throttling for sign-in and activation: throttle attackers, not owners. Three counters
// per attempt from an unknown browser: the account from this address (tight), the account from
// anywhere (looser), and the address (loosest: a whole school shares one address, so hundreds of
// failures, and successes never count). A browser the account has signed in on before (a known
// device, see sessions.server) is counted on its own counter only, so failures elsewhere cannot lock
// the owner out. Locks grow from one minute and never pass 15 minutes; a success clears the account's
// own counters.
import { and, eq, inArray, isNull, lt, or } from "drizzle-orm";
import { db, schema, changedRows, first } from "#db/client";
import { ThrottledError } from "../foundation/errors.server";

const MINUTE = 60_000;

export type ThrottlePolicy = { threshold: number; windowMs: number; baseLockMs: number; maxLockMs: number };

export const POLICIES = {
  accountAddress: { threshold: 5, windowMs: 15 * MINUTE, baseLockMs: MINUTE, maxLockMs: 15 * MINUTE },
  knownDevice: { threshold: 10, windowMs: 15 * MINUTE, baseLockMs: MINUTE, maxLockMs: 15 * MINUTE },
  account: { threshold: 20, windowMs: 15 * MINUTE, baseLockMs: 5 * MINUTE, maxLockMs: 15 * MINUTE },
  address: { threshold: 500, windowMs: 15 * MINUTE, baseLockMs: 5 * MINUTE, maxLockMs: 15 * MINUTE },
} satisfies Record<string, ThrottlePolicy>;

export type ThrottleKey = { key: string; policy: ThrottlePolicy };

/**
 * The counters one attempt touches, e.g. scope "signin" for a login name from an address; from a known
 * device of the account (its device id), only that device's own counter.
 */
export function throttleKeys(scope: string, account: string, address: string, knownDevice?: string | null): ThrottleKey[] {
  const acct = account.trim().toLowerCase();
  if (knownDevice) return [{ key: `${scope}:device:${knownDevice}|${acct}`, policy: POLICIES.knownDevice }];
  return [
    { key: `${scope}:acct-addr:${acct}|${address}`, policy: POLICIES.accountAddress },
    { key: `${scope}:acct:${acct}`, policy: POLICIES.account },
    { key: `${scope}:addr:${address}`, policy: POLICIES.address },
  ];
}

/** Refuses with ThrottledError while any of the keys is locked. */
export async function assertNotThrottled(keys: ThrottleKey[], now = Date.now()): Promise<void> {
  const rows = await db()
      .select()
      .from(schema.attemptThrottles)
      .where(inArray(schema.attemptThrottles.key, keys.map((k) => k.key)));
  const wait = Math.max(0, ...rows.map((r) => (r.lockedUntil ? r.lockedUntil.getTime() - now : 0)));
  if (wait > 0) throw new ThrottledError(wait);
}

/** Counts a failure against each key and locks the ones over their threshold. */
export async function recordFailure(keys: ThrottleKey[], now = Date.now()): Promise<void> {
  const table = schema.attemptThrottles;
  await db().transaction(
    async (tx) => {
      for (const { key, policy } of keys) {
        const row = await first(tx.select().from(table).where(eq(table.key, key)).limit(1));
        const fresh = !row || now - row.windowStartedAt.getTime() > policy.windowMs;
        const failures = fresh ? 1 : row.failures + 1;
        const over = failures - policy.threshold;
        const lockedUntil = over >= 0 ? new Date(now + Math.min(policy.baseLockMs * 2 ** over, policy.maxLockMs)) : (row?.lockedUntil ?? null);
        const values = { failures, windowStartedAt: fresh ? new Date(now) : row.windowStartedAt, lockedUntil };
        await tx.insert(table).values({ key, ...values }).onConflictDoUpdate({ target: table.key, set: values });
      }
    },
    { behavior: "immediate" },
  );
}

/** After a success: the account's own counters start again (the address counter stays). */
export async function clearFailures(keys: ThrottleKey[]): Promise<void> {
  const own = keys.filter((k) => k.policy !== POLICIES.address).map((k) => k.key);
  await db().delete(schema.attemptThrottles).where(inArray(schema.attemptThrottles.key, own));
}

/** Removes counters whose window and lock are both over. */
export async function deleteStaleThrottles(now = Date.now()): Promise<number> {
  const table = schema.attemptThrottles;
  const windowOver = lt(table.windowStartedAt, new Date(now - Math.max(...Object.values(POLICIES).map((p) => p.windowMs))));
  return (changedRows(db()
    .delete(table)
    .where(and(windowOver, or(isNull(table.lockedUntil), lt(table.lockedUntil, new Date(now)))))
    ));
}
