import type { DbOrTx } from '../client';

export interface AuditEntry {
  organizationId: string;
  actor: { type: 'user' | 'api_key' | 'debtor' | 'system'; id?: string };
  action: string;
  subject: { type: string; id: string };
  data?: Record<string, unknown>;
}

/** Appends to the audit log; call in the same transaction as the change it records. */
export async function appendAuditLog(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      organization_id: entry.organizationId,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id ?? null,
      action: entry.action,
      subject_type: entry.subject.type,
      subject_id: entry.subject.id,
      data: JSON.stringify(entry.data ?? {}),
    })
    .execute();
}

export async function listAuditLog(
  db: DbOrTx,
  organizationId: string,
  subject: { type: string; id: string },
) {
  return db
    .selectFrom('audit_log')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('subject_type', '=', subject.type)
    .where('subject_id', '=', subject.id)
    .orderBy('id')
    .execute();
}
