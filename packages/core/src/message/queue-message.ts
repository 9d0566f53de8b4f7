import {
  type AuditEntry,
  appendAuditLog,
  type Db,
  getCustomer,
  insertCommunicationOnce,
  inTransaction,
} from '@settle/db';
import { startMessageDelivery } from '@settle/workflows';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { AppError } from '../errors';

export interface QueueMessageDeps {
  db: Db;
  temporal: Client;
  /** The worker's task queue; tests run workers on their own queue. */
  taskQueue?: string | undefined;
  now?: () => Date;
}

export const QueueMessageInputSchema = z.object({
  organizationId: z.string().uuid(),
  customerId: z.string().uuid(),
  channel: z.enum(['email', 'sms']),
  recipient: z.string().trim().min(1, 'required'),
  subject: z.string(),
  bodyText: z.string().trim().min(1, 'required'),
  bodyHtml: z.string().optional(),
  /** What the message is for, shown in the console: `resend`, `portal-link`, ... */
  stepKey: z.string().min(1, 'required'),
  /** Unique per organization: queueing the same key again returns the first message. */
  idempotencyKey: z.string().min(1, 'required'),
  invoiceIds: z.array(z.string().uuid()).optional(),
  locale: z.string().optional(),
});
export type QueueMessageInput = z.input<typeof QueueMessageInputSchema> & {
  /** Who asked for it; audited when given. */
  actor?: AuditEntry['actor'];
};

export interface QueueMessageResult {
  communicationId: string;
  workflowId: string;
  /** False when the idempotency key had already been used: nothing new was queued. */
  isNew: boolean;
}

/**
 * Delivers one prepared message. Only worker activities talk to providers, so this stores the message
 * (status pending, unique idempotency key) and starts the `message-<id>` workflow whose activity sends
 * it once and marks it sent or failed. Calling it again with the same key changes nothing.
 */
export async function queueMessage(
  deps: QueueMessageDeps,
  raw: QueueMessageInput,
): Promise<QueueMessageResult> {
  const parsed = QueueMessageInputSchema.safeParse(raw);
  if (!parsed.success) {
    throw new AppError('VALIDATION', 'invalid message', {
      details: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), message: issue.message })),
    });
  }
  const input = parsed.data;
  if (input.channel === 'email' && input.subject.trim() === '') {
    throw new AppError('VALIDATION', 'an e-mail needs a subject', {
      details: [{ field: 'subject', message: 'required for e-mail' }],
    });
  }
  const now = deps.now?.() ?? new Date();
  const { communication, isNew } = await inTransaction(deps.db, async (tx) => {
    const customer = await getCustomer(tx, input.organizationId, input.customerId);
    if (!customer) {
      throw new AppError('NOT_FOUND', `customer ${input.customerId} not found`, {
        userMessage: 'Customer not found.',
      });
    }
    const invoiceIds = [...new Set(input.invoiceIds ?? [])];
    if (invoiceIds.length > 0) {
      const owned = await tx
        .selectFrom('invoices')
        .select('id')
        .where('organization_id', '=', input.organizationId)
        .where('customer_id', '=', customer.id)
        .where('id', 'in', invoiceIds)
        .execute();
      if (owned.length !== invoiceIds.length) {
        throw new AppError('VALIDATION', 'invoiceIds name invoices of another customer', {
          details: [{ field: 'invoiceIds', message: "not all are this customer's invoices" }],
        });
      }
    }
    const stored = await insertCommunicationOnce(
      tx,
      {
        organization_id: input.organizationId,
        customer_id: customer.id,
        idempotency_key: input.idempotencyKey,
        step_key: input.stepKey,
        channel: input.channel,
        locale: input.locale ?? customer.locale,
        recipient: input.recipient.trim(),
        subject: input.subject.trim() === '' ? null : input.subject,
        body_text: input.bodyText,
        body_html: input.channel === 'email' ? (input.bodyHtml ?? null) : null,
        // The worker records the provider that actually sends it.
        provider: 'outbox',
        created_at: now,
      },
      invoiceIds,
    );
    if (stored.isNew && raw.actor) {
      await appendAuditLog(tx, {
        organizationId: input.organizationId,
        actor: raw.actor,
        action: 'message.queued',
        subject: { type: 'customer', id: customer.id },
        data: { communicationId: stored.communication.id, stepKey: input.stepKey, channel: input.channel },
      });
    }
    return stored;
  });
  // Started after the commit so the activity finds the row; a retried call starts nothing new.
  const { workflowId } = await startMessageDelivery(deps.temporal, communication.id, {
    taskQueue: deps.taskQueue,
  });
  return { communicationId: communication.id, workflowId, isNew };
}
