import { type Db, findPortalLinkByTokenHash, getCustomer, getOrganization } from '@settle/db';
import type { Client } from '@temporalio/client';
import { AppError } from '../errors';
import { hashToken } from '../hash-token';
import { queueMessage } from '../message/queue-message';
import { assertDebtorRateLimit } from './assert-debtor-rate-limit';
import { createPortalLink } from './portal-links';

export interface PortalLinkRequestDeps {
  db: Db;
  temporal: Client;
  portalBaseUrl: string;
  taskQueue?: string | undefined;
  now?: () => Date;
}

const MESSAGES: Record<
  string,
  { subject: (org: string) => string; body: (org: string, url: string, days: number) => string }
> = {
  en: {
    subject: (org) => `Your link to the ${org} invoice portal`,
    body: (org, url, days) =>
      `Hello,\n\nyou asked for a new link to your statement with ${org}. It is valid for ${days} days:\n\n${url}\n\nIf you did not ask for it, you can ignore this message.\n\n${org}`,
  },
  pl: {
    subject: (org) => `Link do portalu faktur ${org}`,
    body: (org, url, days) =>
      `Dzień dobry,\n\nna Państwa prośbę przesyłamy nowy link do wyciągu z ${org}. Jest ważny przez ${days} dni:\n\n${url}\n\nJeśli to nie Państwo o niego prosili, prosimy zignorować tę wiadomość.\n\n${org}`,
  },
  de: {
    subject: (org) => `Ihr Link zum Rechnungsportal von ${org}`,
    body: (org, url, days) =>
      `Guten Tag,\n\nSie haben einen neuen Link zu Ihrem Kontoauszug bei ${org} angefordert. Er ist ${days} Tage gültig:\n\n${url}\n\nFalls Sie ihn nicht angefordert haben, können Sie diese Nachricht ignorieren.\n\n${org}`,
  },
  fr: {
    subject: (org) => `Votre lien vers le portail de factures de ${org}`,
    body: (org, url, days) =>
      `Bonjour,\n\nvous avez demandé un nouveau lien vers votre relevé chez ${org}. Il est valable ${days} jours :\n\n${url}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n${org}`,
  },
};

const LINK_DAYS = 30;

/**
 * Someone holding an expired or revoked link asks for a fresh one. It goes only to the customer's
 * e-mail address on file, through the worker (`queueMessage`), and at most a few times a day. The
 * caller learns nothing: the answer is the same whether a message was sent or not.
 */
export async function requestFreshPortalLink(
  deps: PortalLinkRequestDeps,
  input: { token: string },
): Promise<{ status: 'accepted' }> {
  const now = deps.now?.() ?? new Date();
  const accepted = { status: 'accepted' as const };
  const link = await findPortalLinkByTokenHash(deps.db, hashToken(input.token));
  if (!link) return accepted;
  const [customer, organization] = await Promise.all([
    getCustomer(deps.db, link.organization_id, link.customer_id),
    getOrganization(deps.db, link.organization_id),
  ]);
  if (!customer?.email || !organization) return accepted;
  try {
    await assertDebtorRateLimit(deps.db, {
      organizationId: customer.organization_id,
      customerId: customer.id,
      kind: 'link_request',
      now,
    });
  } catch (error) {
    if (error instanceof AppError && error.code === 'RATE_LIMITED') return accepted;
    throw error;
  }
  const fresh = await createPortalLink(deps.db, {
    organizationId: customer.organization_id,
    customerId: customer.id,
    baseUrl: deps.portalBaseUrl,
    now,
    ttlDays: LINK_DAYS,
  });
  const language = customer.locale.slice(0, 2).toLowerCase();
  const text = MESSAGES[language] ?? MESSAGES.en;
  if (!text) return accepted;
  await queueMessage(
    { db: deps.db, temporal: deps.temporal, taskQueue: deps.taskQueue, now: () => now },
    {
      organizationId: customer.organization_id,
      customerId: customer.id,
      channel: 'email',
      recipient: customer.email,
      subject: text.subject(organization.name),
      bodyText: text.body(organization.name, fresh.url, LINK_DAYS),
      stepKey: 'portal-link',
      idempotencyKey: `portal-link/${hashToken(fresh.token).slice(0, 32)}`,
      locale: customer.locale,
      actor: { type: 'debtor', id: customer.id },
    },
  );
  return accepted;
}
