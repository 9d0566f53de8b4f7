import {
  type Db,
  type DisputeReason,
  findOpenDispute,
  getCustomer,
  insertDisputeAttachment,
  listCustomerInvoicesByIds,
} from '@settle/db';
import { isUuid } from '@settle/domain';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { openInvoiceDispute } from '../dispute/open-invoice-dispute';
import { AppError } from '../errors';
import { assertPromiseAllowed } from '../promise/assert-promise-allowed';
import { promiseInvoicePayment } from '../promise/promise-invoice-payment';
import { assertDebtorRateLimit } from './assert-debtor-rate-limit';

/** What the debtor's own actions need: the database and Temporal (to pause the invoices' workflows). */
export interface DebtorActionDeps {
  db: Db;
  temporal: Client;
  now?: () => Date;
}

export const DISPUTE_REASONS = [
  'not_received',
  'wrong_amount',
  'already_paid',
  'quality',
  'other',
] as const satisfies readonly DisputeReason[];

export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
export const MAX_ATTACHMENTS = 3;
export const ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
type AttachmentType = (typeof ATTACHMENT_TYPES)[number];

const uuid = z.string().refine(isUuid, 'unknown invoice');

export const DebtorDisputeSchema = z.object({
  invoiceIds: z.array(uuid).min(1, 'choose at least one invoice').max(50),
  reason: z.enum(DISPUTE_REASONS, { error: 'choose a reason' }),
  message: z.string().trim().min(1, 'required').max(4000, 'at most 4000 characters'),
});
export type DebtorDispute = z.infer<typeof DebtorDisputeSchema>;

export const DebtorPromiseSchema = z.object({
  invoiceIds: z.array(uuid).min(1, 'choose at least one invoice').max(50),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date'),
  note: z.string().trim().max(1000, 'at most 1000 characters').optional(),
});
export type DebtorPromise = z.infer<typeof DebtorPromiseSchema>;

export interface DebtorAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

function validationError(issues: { path: PropertyKey[]; message: string }[]): AppError {
  const details = issues.map((issue) => ({ field: issue.path.join('.') || 'form', message: issue.message }));
  return new AppError(
    'VALIDATION',
    `invalid input: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    {
      details,
    },
  );
}

/** The file's first bytes must match its declared type: a renamed executable is not a PDF. */
function hasSignatureOf(type: AttachmentType, content: Uint8Array): boolean {
  const starts = (bytes: number[]) => bytes.every((b, i) => content[i] === b);
  switch (type) {
    case 'application/pdf':
      return starts([0x25, 0x50, 0x44, 0x46, 0x2d]);
    case 'image/png':
      return starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return starts([0xff, 0xd8, 0xff]);
  }
}

/** Checks attachments (count, size, type by content) and names the first bad one. */
export function validateAttachments(
  files: DebtorAttachment[],
): { filename: string; contentType: AttachmentType; content: Uint8Array }[] {
  if (files.length > MAX_ATTACHMENTS) {
    throw validationError([{ path: ['attachments'], message: `at most ${MAX_ATTACHMENTS} files` }]);
  }
  return files.map((file) => {
    const type = ATTACHMENT_TYPES.find((t) => t === file.contentType);
    if (file.content.byteLength === 0) {
      throw validationError([{ path: ['attachments'], message: `${file.filename} is empty` }]);
    }
    if (file.content.byteLength > MAX_ATTACHMENT_BYTES) {
      throw validationError([{ path: ['attachments'], message: `${file.filename} is larger than 5 MB` }]);
    }
    if (!type || !hasSignatureOf(type, file.content)) {
      throw validationError([
        { path: ['attachments'], message: `${file.filename} is not a PDF, PNG or JPEG file` },
      ]);
    }
    return {
      filename: file.filename.slice(0, 200) || 'attachment',
      contentType: type,
      content: file.content,
    };
  });
}

/** The customer's open invoices among `invoiceIds`; any other id (another customer's) is NOT_FOUND. */
async function ownOpenInvoices(
  db: Db,
  options: { organizationId: string; customerId: string; invoiceIds: string[] },
): Promise<{ id: string; number: string }[]> {
  const ids = [...new Set(options.invoiceIds)];
  const rows = await listCustomerInvoicesByIds(db, options.organizationId, options.customerId, ids);
  if (rows.length !== ids.length) {
    throw new AppError('NOT_FOUND', "an invoice is not this customer's", {
      userMessage: 'Invoice not found.',
    });
  }
  const closed = rows.find((row) => row.status !== 'open');
  if (closed) {
    throw new AppError('CONFLICT', `invoice ${closed.number} is ${closed.status}`, {
      userMessage: `Invoice ${closed.number} is no longer open.`,
    });
  }
  return rows;
}

/**
 * A debtor disputes one or more of its invoices, with a reason, a message and optional files. Each
 * invoice gets its own dispute (finance answers them one by one) and its reminders pause.
 */
export async function openDebtorDispute(
  deps: DebtorActionDeps,
  input: { organizationId: string; customerId: string; dispute: unknown; attachments: DebtorAttachment[] },
): Promise<{ disputeIds: string[] }> {
  const now = deps.now?.() ?? new Date();
  const parsed = DebtorDisputeSchema.safeParse(input.dispute);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const files = validateAttachments(input.attachments);
  const { organizationId, customerId } = input;
  const invoices = await ownOpenInvoices(deps.db, {
    organizationId,
    customerId,
    invoiceIds: parsed.data.invoiceIds,
  });
  await assertDebtorRateLimit(deps.db, {
    organizationId,
    customerId,
    kind: 'dispute',
    now,
    adding: invoices.length,
  });
  for (const invoice of invoices) {
    // Checked for all before any is opened, so a form naming one disputed invoice writes nothing.
    if (await findOpenDispute(deps.db, organizationId, invoice.id)) {
      throw new AppError('CONFLICT', `invoice ${invoice.number} already has an open dispute`, {
        userMessage: `Invoice ${invoice.number} is already disputed; finance will answer the open dispute.`,
      });
    }
  }
  const disputeIds: string[] = [];
  for (const invoice of invoices) {
    const { disputeId } = await openInvoiceDispute(deps, {
      organizationId,
      invoiceId: invoice.id,
      reason: parsed.data.reason,
      message: parsed.data.message,
      actor: { type: 'debtor', id: customerId },
    });
    for (const file of files) {
      await insertDisputeAttachment(deps.db, {
        organization_id: organizationId,
        dispute_id: disputeId,
        customer_id: customerId,
        filename: file.filename,
        content_type: file.contentType,
        size_bytes: file.content.byteLength,
        content: Buffer.from(file.content),
      });
    }
    disputeIds.push(disputeId);
  }
  return { disputeIds };
}

/**
 * A debtor promises to pay one or more invoices by a date within its policy's limits (from its own
 * local today; a limited number of renewals per invoice). All invoices are checked before any promise
 * is written, so a refusal for one leaves the others as they were.
 */
export async function promiseDebtorPayment(
  deps: DebtorActionDeps,
  input: { organizationId: string; customerId: string; promise: unknown },
): Promise<{ promiseIds: string[] }> {
  const now = deps.now?.() ?? new Date();
  const parsed = DebtorPromiseSchema.safeParse(input.promise);
  if (!parsed.success) throw validationError(parsed.error.issues);
  const { organizationId, customerId } = input;
  const invoices = await ownOpenInvoices(deps.db, {
    organizationId,
    customerId,
    invoiceIds: parsed.data.invoiceIds,
  });
  await assertDebtorRateLimit(deps.db, {
    organizationId,
    customerId,
    kind: 'promise',
    now,
    adding: invoices.length,
  });
  const customer = await getCustomer(deps.db, organizationId, customerId);
  if (!customer) {
    throw new AppError('NOT_FOUND', `customer ${customerId} not found`, { userMessage: 'Not found.' });
  }
  for (const invoice of invoices) {
    await assertPromiseAllowed(deps.db, { invoice, customer, date: parsed.data.date, now });
  }
  const promiseIds: string[] = [];
  for (const invoice of invoices) {
    const { promiseId } = await promiseInvoicePayment(deps, {
      organizationId,
      invoiceId: invoice.id,
      date: parsed.data.date,
      ...(parsed.data.note ? { note: parsed.data.note } : {}),
      actor: { type: 'debtor', id: customerId },
    });
    promiseIds.push(promiseId);
  }
  return { promiseIds };
}
