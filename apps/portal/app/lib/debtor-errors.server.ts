import { data } from '@remix-run/node';
import {
  APP_ERROR_STATUS,
  AppError,
  conflictAsUnavailable,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
} from '@settle/core';

/** The largest dispute form accepted: every allowed file at its largest, plus the form's text. */
export const MAX_DISPUTE_BODY_BYTES = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 256 * 1024;

/** What a debtor form action answers when it did not go through; the page shows it next to the form. */
export interface ActionFailure {
  ok: false;
  code: 'VALIDATION' | 'CONFLICT' | 'RATE_LIMITED' | 'UNAVAILABLE';
  message: string;
  fields: { field: string; message: string }[];
}

function fieldsOf(details: unknown): { field: string; message: string }[] {
  if (!Array.isArray(details)) return [];
  return details.flatMap((d: unknown) => {
    if (typeof d !== 'object' || d === null) return [];
    const { field, message } = d as { field?: unknown; message?: unknown };
    return typeof field === 'string' && typeof message === 'string' ? [{ field, message }] : [];
  });
}

/**
 * Maps an application error to the action's answer: expected failures come back as values with
 * their status (400, 409, 429, 503); NOT_FOUND becomes the 404 page; anything else is rethrown.
 */
export function debtorActionFailure(thrown: unknown) {
  const error = conflictAsUnavailable(thrown);
  if (!(error instanceof AppError)) throw error;
  switch (error.code) {
    case 'NOT_FOUND':
      throw new Response('Not found', { status: 404 });
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      throw new Response('Forbidden', { status: 403 });
    case 'VALIDATION':
    case 'CONFLICT':
    case 'RATE_LIMITED':
    case 'UNAVAILABLE': {
      const failure: ActionFailure = {
        ok: false,
        code: error.code,
        message: error.userMessage,
        fields: fieldsOf(error.options.details),
      };
      return data(failure, { status: APP_ERROR_STATUS[error.code] });
    }
    case 'INTERNAL':
      throw error;
  }
}

/** Loaders: an application NOT_FOUND (e.g. another customer's invoice) becomes the 404 page. */
export function notFoundAsResponse(error: unknown): never {
  if (error instanceof AppError && error.code === 'NOT_FOUND')
    throw new Response('Not found', { status: 404 });
  throw error;
}

/**
 * Debtor pages: an application NOT_FOUND becomes a 404 that names the page language, so the debtor's
 * error page ({@link DebtorErrorBoundary}) speaks it.
 */
export function notFoundIn(locale: string) {
  return (error: unknown): never => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') throw data({ locale }, { status: 404 });
    throw error;
  };
}
