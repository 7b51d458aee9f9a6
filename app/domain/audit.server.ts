// Who did what, when, to what. Written in the same transaction as the change it records.
import { db, schema, type DB } from "#db/client";
import { randomId } from "./ids.server";

export type AuditInput = {
  actorId: string | null;
  action: string;
  targetType: string;
  targetId?: string | null;
  schoolId?: string | null;
  detail?: Record<string, unknown>;
};

type Tx = Pick<DB, "insert">;

export function recordAudit(event: AuditInput, tx: Tx = db()): void {
  tx.insert(schema.auditEvents)
    .values({ id: randomId(), ...event, targetId: event.targetId ?? null, schoolId: event.schoolId ?? null, detail: event.detail ?? null })
    .run();
}
