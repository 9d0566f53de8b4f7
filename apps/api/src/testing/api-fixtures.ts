import { openInvoiceDispute } from '@settle/core';
import { invoiceWorkflowId } from '@settle/workflows';
import type { ApiHarness, TestTenant } from './api-harness';

/** Request bodies and small set-ups shared by the API tests. */

let sequence = 0;
const unique = () => `${Date.now().toString(36)}${(sequence++).toString(36)}`;

export function customerBody(overrides: Record<string, unknown> = {}) {
  const code = `C-${unique()}`;
  return {
    code,
    name: `Customer ${code}`,
    email: `${code.toLowerCase()}@example.com`,
    country: 'DE',
    locale: 'de',
    timeZone: 'Europe/Berlin',
    ...overrides,
  };
}

export function invoiceBody(customerId: string, overrides: Record<string, unknown> = {}) {
  return {
    customerId,
    number: `INV-${unique()}`,
    currency: 'EUR',
    issueDate: '2026-11-01',
    dueDate: '2026-12-01',
    lines: [
      { description: 'Consulting', quantityMilli: 2000, unitPriceMinor: 50_000, taxRateBasisPoints: 2300 },
    ],
    ...overrides,
  };
}

/** Creates an invoice through the API for a tenant (the harness's first tenant by default). */
export async function createInvoiceVia(
  h: ApiHarness,
  options: { tenant?: TestTenant; overrides?: Record<string, unknown> } = {},
): Promise<{ id: string; number: string; totalMinor: number; customerId: string }> {
  const tenant = options.tenant ?? h.tenant;
  const response = await h.request('POST', '/v1/invoices', {
    apiKey: tenant.apiKey,
    body: invoiceBody(tenant.customer.id, options.overrides),
  });
  if (response.status !== 201) throw new Error(`invoice not created: ${JSON.stringify(response.body)}`);
  return response.body;
}

/** Opens a dispute as the debtor would from the portal (there is no API route for that). */
export async function openDisputeOn(h: ApiHarness, tenant: TestTenant, invoiceId: string): Promise<string> {
  const { disputeId } = await openInvoiceDispute(
    { db: h.db, temporal: h.temporal },
    {
      organizationId: tenant.organization.id,
      invoiceId,
      reason: 'wrong_amount',
      message: 'We ordered 9, not 10.',
      actor: { type: 'debtor', id: tenant.customer.id },
    },
  );
  return disputeId;
}

/** Names of the signals an invoice's workflow has received, in order. */
export async function signalsOf(h: ApiHarness, invoiceId: string): Promise<string[]> {
  const history = await h.temporal.workflow.getHandle(invoiceWorkflowId(invoiceId)).fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const name = event.workflowExecutionSignaledEventAttributes?.signalName;
    return name ? [name] : [];
  });
}

/** The workflow's status name, e.g. RUNNING. */
export async function workflowStatusOf(h: ApiHarness, invoiceId: string): Promise<string> {
  const description = await h.temporal.workflow.getHandle(invoiceWorkflowId(invoiceId)).describe();
  return description.status.name;
}
