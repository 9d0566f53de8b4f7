import type { LoaderFunctionArgs } from '@remix-run/node';
import { AppError, getDebtorInvoicePdf } from '@settle/core';
import { db } from '../db.server';
import { notFoundAsResponse } from '../lib/debtor-errors.server';
import { requireDebtor } from '../lib/debtor-session.server';

/** `/p/invoices/<id>.pdf`: the invoice drawn on request, for its own customer only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const debtor = await requireDebtor(request);
  try {
    const pdf = await getDebtorInvoicePdf(db, {
      ...debtor,
      invoiceId: params.invoiceId ?? '',
      now: new Date(),
    });
    return new Response(new Uint8Array(pdf.content), {
      headers: {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `inline; filename="${pdf.filename}"`,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAVAILABLE') {
      return new Response(error.userMessage, {
        status: 503,
        headers: { 'Content-Type': 'text/plain; charset=utf-8' },
      });
    }
    return notFoundAsResponse(error);
  }
}
