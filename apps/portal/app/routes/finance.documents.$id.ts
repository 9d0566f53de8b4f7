import type { LoaderFunctionArgs } from '@remix-run/node';
import { downloadDocument } from '@settle/core';
import { db } from '../db.server';
import { requireStaff } from '../lib/finance-session.server';

/** `GET /finance/documents/:id`: a generated letter's PDF, only for staff of its organization. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request);
  const document = await downloadDocument(
    { db },
    { organizationId: staff.organizationId, documentId: params.id ?? '' },
  );
  if (!document) throw new Response('Not found', { status: 404 });
  return new Response(new Uint8Array(document.content), {
    headers: {
      'Content-Type': document.content_type,
      'Content-Disposition': `inline; filename="${document.filename}"`,
      'Cache-Control': 'private, no-store',
    },
  });
}
