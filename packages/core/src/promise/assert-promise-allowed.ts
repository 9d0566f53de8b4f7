import { type Customer, countInvoicePromisesToPay, type DbOrTx, resolveReminderPolicy } from '@settle/db';
import { addDays, DEFAULT_POLICY, daysBetween, localDateOf } from '@settle/domain';
import { AppError } from '../errors';

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/**
 * Refuses a promise to pay that the customer's policy does not allow: a date before the customer's
 * own today (its time zone, not the server's) or more than `maxPromiseDays` after it (VALIDATION on
 * `date`), or a renewal beyond `maxPromiseRenewals` on this invoice (CONFLICT: the first promise is not
 * a renewal, every later one is, whatever became of the earlier ones). Messages are for the debtor.
 */
export async function assertPromiseAllowed(
  db: DbOrTx,
  input: {
    invoice: { id: string; number: string };
    customer: Pick<Customer, 'organization_id' | 'reminder_policy_id' | 'segment' | 'time_zone'>;
    date: string;
    now: Date;
  },
): Promise<void> {
  const policy = await resolveReminderPolicy(db, input.customer);
  const maxDays = policy?.max_promise_days ?? DEFAULT_POLICY.maxPromiseDays;
  const maxRenewals = policy?.max_promise_renewals ?? DEFAULT_POLICY.maxPromiseRenewals;
  const today = localDateOf(input.now.getTime(), input.customer.time_zone);
  const days = daysBetween(today, input.date);
  if (days < 0 || days > maxDays) {
    const last = addDays(today, maxDays);
    throw new AppError(
      'VALIDATION',
      `promised date ${input.date} outside ${today}..${last} (+${maxDays} days)`,
      {
        userMessage: `Please choose a payment date between ${today} and ${last}.`,
        details: [{ field: 'date', message: `choose a date between ${today} and ${last}` }],
      },
    );
  }
  const earlier = await countInvoicePromisesToPay(db, input.invoice.id);
  if (earlier > maxRenewals) {
    const number = input.invoice.number;
    const userMessage =
      maxRenewals === 0
        ? `You have already promised a payment date for invoice ${number}, and it cannot be changed. Please pay by that date, or contact us if that is not possible.`
        : `You have already changed the promised payment date for invoice ${number} ${times(maxRenewals)}, which is as often as we can accept. Please pay by the date you last gave, or contact us if that is not possible.`;
    throw new AppError(
      'CONFLICT',
      `invoice ${number}: ${earlier} promises already, at most ${maxRenewals} renewals allowed`,
      { userMessage, details: [{ field: 'date', message: userMessage }] },
    );
  }
}
