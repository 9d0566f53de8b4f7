import { data } from '@remix-run/node';
import {
  APP_ERROR_STATUS,
  AppError,
  canStaff,
  conflictAsUnavailable,
  type FinancePermission,
  type StaffSession,
} from '@settle/core';
import type { AuditEntry } from '@settle/db';
import { formatMoney, isUuid } from '@settle/domain';
import { db } from '../db.server';
import { env } from '../env.server';
import { temporal } from '../temporal.server';
import { requireStaff } from './finance-session.server';

/** The signed-in staff member, if their role grants `permission`; otherwise a 403 page. */
export async function requireFinance(
  request: Request,
  permission: FinancePermission = 'view',
): Promise<StaffSession> {
  const staff = await requireStaff(request);
  if (!canStaff(staff, permission)) {
    throw data(
      { message: `Your role (${staff.role}) does not allow this. Ask an administrator.` },
      { status: 403, statusText: 'Forbidden' },
    );
  }
  return staff;
}

export function actorOf(staff: StaffSession): AuditEntry['actor'] & { type: 'user' } {
  return { type: 'user', id: staff.userId };
}

/** What the application functions need from the portal process. */
export function financeDeps() {
  return { db, temporal, taskQueue: env.TEMPORAL_TASK_QUEUE };
}

export type ActionResult =
  | { ok: true; message: string; intent?: string; extra?: Record<string, string> }
  | { ok: false; message: string; intent?: string; fields: Record<string, string> };

/**
 * Runs one application function for an action and maps its expected failures to a result the page
 * shows next to the form (fields named by the error's details). FORBIDDEN and NOT_FOUND become the
 * console's error pages; anything else is a real failure and propagates.
 */
export async function runAction(
  intent: string,
  fn: () => Promise<string | { message: string; extra?: Record<string, string> }>,
) {
  try {
    const result = await fn();
    const body: ActionResult =
      typeof result === 'string'
        ? { ok: true, message: result, intent }
        : { ok: true, message: result.message, intent, ...(result.extra ? { extra: result.extra } : {}) };
    return data(body);
  } catch (thrown) {
    const error = conflictAsUnavailable(thrown);
    if (!(error instanceof AppError)) throw error;
    if (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND') {
      throw data({ message: error.userMessage }, { status: error.code === 'FORBIDDEN' ? 403 : 404 });
    }
    const fields: Record<string, string> = {};
    const details = Array.isArray(error.options.details) ? error.options.details : [];
    for (const detail of details as { field?: unknown; message?: unknown }[]) {
      if (typeof detail.field === 'string' && typeof detail.message === 'string') {
        fields[detail.field] = fields[detail.field]
          ? `${fields[detail.field]}; ${detail.message}`
          : detail.message;
      }
    }
    const body: ActionResult = { ok: false, message: error.userMessage, intent, fields };
    return data(body, { status: APP_ERROR_STATUS[error.code] });
  }
}

export function money(amountMinor: number, currency: string): string {
  return formatMoney({ amountMinor, currency }, 'en-GB');
}

export function formString(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

/** A 404 for a path parameter that is not even an id. */
export function requireUuid(value: string | undefined): string {
  if (!value || !isUuid(value)) {
    throw data({ message: 'Not found.' }, { status: 404 });
  }
  return value;
}
