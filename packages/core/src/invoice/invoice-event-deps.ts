import type { Db } from '@settle/db';
import type { Client } from '@temporalio/client';

/**
 * What the application functions that change an invoice's collection state need (recording an
 * offline payment, opening or resolving a dispute, a promise to pay, pausing, resuming, closing). Each
 * writes the change in one transaction (the database is the record: the workflow re-reads it before
 * every send), then signals the invoice's workflow so it reacts at once. A duplicate call changes
 * nothing.
 */
export interface InvoiceEventDeps {
  db: Db;
  temporal: Client;
  now?: () => Date;
}
