import type { DbOrTx } from '../client';
import type { Channel } from '../schema';

/**
 * The locales an organization writes in, as stored: its default locale and every distinct locale
 * of its customers (raw, e.g. `de-AT`; the caller maps them to template languages).
 */
export async function listOrganizationLocales(db: DbOrTx, organizationId: string): Promise<string[]> {
  const [organization, customers] = await Promise.all([
    db
      .selectFrom('organizations')
      .select('default_locale')
      .where('id', '=', organizationId)
      .executeTakeFirst(),
    db
      .selectFrom('customers')
      .select('locale')
      .distinct()
      .where('organization_id', '=', organizationId)
      .execute(),
  ]);
  return [
    ...(organization ? [organization.default_locale] : []),
    ...customers.map((customer) => customer.locale),
  ];
}

/** Which templates an organization has stored: key, channel and locale only (no texts). */
export async function listStoredTemplateKeys(
  db: DbOrTx,
  organizationId: string,
): Promise<{ key: string; channel: Channel; locale: string }[]> {
  return db
    .selectFrom('templates')
    .select(['key', 'channel', 'locale'])
    .where('organization_id', '=', organizationId)
    .execute();
}
