import { type Db, listCustomerInvoicesByIds } from '@settle/db';
import { isUuid } from '@settle/domain';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { AppError } from '../errors';

/** What the debtor's own actions need: the database and Temporal (to pause the invoices' workflows). */
export interface DebtorActionDeps {
  db: Db;
  temporal: Client;
  now?: () => Date;
}

/** An invoice id from a portal form; anything else is an unknown invoice. */
export const InvoiceIdSchema = z.string().refine(isUuid, 'unknown invoice');

/** Form issues as one VALIDATION error naming each field. */
export function validationError(issues: { path: PropertyKey[]; message: string }[]): AppError {
  const details = issues.map((issue) => ({ field: issue.path.join('.') || 'form', message: issue.message }));
  return new AppError(
    'VALIDATION',
    `invalid input: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
    {
      details,
    },
  );
}

/** The customer's open invoices among `invoiceIds`; any other id (another customer's) is NOT_FOUND. */
export async function ownOpenInvoices(
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
