import type { LoaderFunctionArgs } from '@remix-run/node';
import { downloadDisputeAttachment } from '@settle/core';
import { db } from '../db.server';
import { requireFinance, requireUuid } from '../lib/finance-access.server';

/** `GET /finance/attachments/:id`: a dispute attachment, only for staff of its organization. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireFinance(request, 'view');
  const attachment = await downloadDisputeAttachment(
    { db },
    { organizationId: staff.organizationId, attachmentId: requireUuid(params.id) },
  );
  if (!attachment) throw new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(attachment.content), {
    headers: {
      'Content-Type': attachment.content_type,
      // Always a download: a debtor's file must never render as a page in the console's origin.
      'Content-Disposition': `attachment; filename="${attachment.filename.replace(/["\\\r\n]/g, '_')}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  });
}
