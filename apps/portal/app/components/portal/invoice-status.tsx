import type { DebtorInvoiceStatus } from '@settle/core';
import type { Translate } from '../../i18n/messages';

/** The invoice's state as a label with a text (never colour alone) for people and screen readers. */
export function InvoiceStatus({
  status,
  promisedDate,
  t,
}: {
  status: DebtorInvoiceStatus;
  promisedDate?: string | null;
  t: Translate;
}) {
  return (
    <span className={`badge badge-${status}`}>{t(`status.${status}`, { date: promisedDate ?? '' })}</span>
  );
}
