import type { LoaderFunctionArgs } from '@remix-run/node';
import { AppError, getAgingReport } from '@settle/core';
import { db } from '../db.server';
import { requireFinance } from '../lib/finance-access.server';
import { agingReportCsv } from '../lib/finance-aging-csv.server';

/** `GET /finance/aging.csv?asOf=YYYY-MM-DD`: the aging report as a CSV download. */
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const asOf = new URL(request.url).searchParams.get('asOf') || undefined;
  try {
    const report = await getAgingReport(db, {
      organizationId: staff.organizationId,
      ...(asOf ? { asOf } : {}),
    });
    return new Response(agingReportCsv(report), {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="aging-${report.asOf}.csv"`,
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'VALIDATION') {
      return new Response(`${error.userMessage}\n`, {
        status: 400,
        headers: { 'Content-Type': 'text/plain' },
      });
    }
    throw error;
  }
}
