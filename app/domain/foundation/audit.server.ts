// Who did what, when, to what: written in the same transaction as the change it records. Reading the
// log back, each admin within their own scope, is audit-log.server (it depends on regions, which
// record their own changes here).
import { db, schema, type DB } from "#db/client";
import type { Role } from "#db/schema";
import { randomId } from "./ids.server";

export type AuditInput = {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  schoolId?: string | null;
  /**
   * Free-form facts of the change. Region-level events (no school) use targetType "region", or put
   * the region's id in `detail.regionId` (or `detail.scope: "region"` + `detail.scopeId`), so that
   * region admins above it see them.
   */
  detail?: Record<string, unknown>;
};

type Tx = Pick<DB, "insert">;

export async function recordAudit(event: AuditInput, tx: Tx = db()): Promise<void> {
  await tx.insert(schema.auditEvents)
      .values({ id: randomId(), ...event, targetId: event.targetId ?? null, schoolId: event.schoolId ?? null, detail: event.detail ?? null });
}

/** Roles whose people are named in the log at every level (pupils and parents are not, above their school). */
export const STAFF_ROLES: Role[] = ["teacher", "school_admin", "region_admin", "platform_admin"];
