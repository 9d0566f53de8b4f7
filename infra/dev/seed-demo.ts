import {
  createApiKey,
  createPortalLink,
  hashPassword,
  installDefaultReminders,
  reconcileInvoiceWorkflows,
} from '@settle/core';
import {
  allocatePayment,
  type Db,
  findOrganizationBySlug,
  insertCustomer,
  insertInvoice,
  insertOrganization,
  insertPaymentOnce,
  insertPromiseToPay,
  insertUser,
  listCustomers,
  openDispute,
} from '@settle/db';
import { addDays, DEFAULT_POLICY, type ReminderPolicy } from '@settle/domain';
import { Client, Connection } from '@temporalio/client';

/**
 * Demo data on local defaults: one creditor with the default policy (sending at any hour: DEMO_POLICY)
 * and templates, an admin, an API
 * key, and ten customers in Polish, German, English and French with invoices at different stages.
 * Idempotent: a second run finds the organization and changes nothing.
 */

export const DEMO_ORGANIZATION_SLUG = 'demo';
/**
 * The default policy, but sending at any hour on every day: whoever runs the demo (and the browser
 * journeys that run on it) sees the reminders in the outbox at once, at 3 a.m. or on a Sunday. A
 * real organization starts from the built-in default, 09:00–17:00 on business days.
 */
export const DEMO_POLICY: ReminderPolicy = {
  ...DEFAULT_POLICY,
  sendWindow: { start: '00:00', end: '23:59' },
  businessDaysOnly: false,
};
export const DEMO_ADMIN = { email: 'admin@demo.settle.local', password: 'settle-demo-admin' };
/** Local demo only: a fixed key so every run can print it (only its hash is stored). */
export const DEMO_API_KEY = 'sk_demo_local_only_7f3c9a2e5b8d4e1f';

interface DemoCustomer {
  code: string;
  name: string;
  contact: string;
  email: string;
  phone: string;
  country: string;
  locale: string;
  timeZone: string;
  city: string;
  vat: string;
  currency: string;
  /** Invoices as [days from today to the due date, amount in minor units, stage]. */
  invoices: [number, number, 'open' | 'paid' | 'disputed' | 'promised' | 'partial'][];
}

const CUSTOMERS: DemoCustomer[] = [
  {
    code: 'PL-001',
    name: 'Kowalski Budownictwo Sp. z o.o.',
    contact: 'Jan Kowalski',
    email: 'jan.kowalski@kowalski-bud.example',
    phone: '+48501234567',
    country: 'PL',
    locale: 'pl',
    timeZone: 'Europe/Warsaw',
    city: 'Kraków',
    vat: 'PL6762345678',
    currency: 'PLN',
    invoices: [
      [2, 1_845_000, 'open'],
      [-16, 420_050, 'open'],
    ],
  },
  {
    code: 'PL-002',
    name: 'Zielona Dolina S.A.',
    contact: 'Agnieszka Wiśniewska',
    email: 'faktury@zielonadolina.example',
    phone: '+48601987654',
    country: 'PL',
    locale: 'pl',
    timeZone: 'Europe/Warsaw',
    city: 'Poznań',
    vat: 'PL7792345671',
    currency: 'PLN',
    invoices: [
      [-23, 995_000, 'open'],
      [-40, 120_000, 'paid'],
    ],
  },
  {
    code: 'PL-003',
    name: 'Nowak i Synowie',
    contact: 'Piotr Nowak',
    email: 'piotr@nowak-synowie.example',
    phone: '+48512555111',
    country: 'PL',
    locale: 'pl',
    timeZone: 'Europe/Warsaw',
    city: 'Gdańsk',
    vat: 'PL5832109876',
    currency: 'PLN',
    invoices: [[-5, 310_000, 'disputed']],
  },
  {
    code: 'DE-001',
    name: 'Müller Maschinenbau GmbH',
    contact: 'Sabine Müller',
    email: 'buchhaltung@mueller-mb.example',
    phone: '+4915112345678',
    country: 'DE',
    locale: 'de',
    timeZone: 'Europe/Berlin',
    city: 'München',
    vat: 'DE129273398',
    currency: 'EUR',
    invoices: [
      [0, 1_250_000, 'open'],
      [-9, 87_500, 'open'],
    ],
  },
  {
    code: 'DE-002',
    name: 'Schneider Logistik AG',
    contact: 'Thomas Schneider',
    email: 'kreditoren@schneider-logistik.example',
    phone: '+4917098765432',
    country: 'DE',
    locale: 'de',
    timeZone: 'Europe/Berlin',
    city: 'Hamburg',
    vat: 'DE811569869',
    currency: 'EUR',
    invoices: [[-3, 560_000, 'promised']],
  },
  {
    code: 'DE-003',
    name: 'Bäckerei Hoffmann',
    contact: 'Klaus Hoffmann',
    email: 'info@baeckerei-hoffmann.example',
    phone: '+4916055512345',
    country: 'DE',
    locale: 'de',
    timeZone: 'Europe/Berlin',
    city: 'Köln',
    vat: 'DE267401234',
    currency: 'EUR',
    invoices: [[14, 34_900, 'open']],
  },
  {
    code: 'GB-001',
    name: 'Thames Valley Engineering Ltd',
    contact: 'Oliver Smith',
    email: 'accounts@tve.example',
    phone: '+447700900123',
    country: 'GB',
    locale: 'en',
    timeZone: 'Europe/London',
    city: 'Reading',
    vat: 'GB123456789',
    currency: 'GBP',
    invoices: [
      [-2, 780_000, 'partial'],
      [-30, 150_000, 'open'],
    ],
  },
  {
    code: 'IE-001',
    name: 'Liffey Software DAC',
    contact: 'Aoife Murphy',
    email: 'ap@liffeysoftware.example',
    phone: '+353851234567',
    country: 'IE',
    locale: 'en',
    timeZone: 'Europe/Dublin',
    city: 'Dublin',
    vat: 'IE6388047V',
    currency: 'EUR',
    invoices: [[30, 2_400_000, 'open']],
  },
  {
    code: 'FR-001',
    name: 'Dubois & Fils SARL',
    contact: 'Marie Dubois',
    email: 'compta@dubois-fils.example',
    phone: '+33612345678',
    country: 'FR',
    locale: 'fr',
    timeZone: 'Europe/Paris',
    city: 'Lyon',
    vat: 'FR40303265045',
    currency: 'EUR',
    invoices: [
      [-1, 640_000, 'open'],
      [-60, 95_000, 'paid'],
    ],
  },
  {
    code: 'FR-002',
    name: 'Boulangerie Lefèvre',
    contact: 'Luc Lefèvre',
    email: 'luc@boulangerie-lefevre.example',
    phone: '+33698765432',
    country: 'FR',
    locale: 'fr',
    timeZone: 'Europe/Paris',
    city: 'Bordeaux',
    vat: 'FR83404833048',
    currency: 'EUR',
    invoices: [[-12, 48_000, 'open']],
  },
];

export interface DemoInfo {
  organizationId: string;
  created: boolean;
  apiKey: string;
  admin: typeof DEMO_ADMIN;
}

export async function seedDemo(db: Db, today: string): Promise<DemoInfo> {
  const existing = await findOrganizationBySlug(db, DEMO_ORGANIZATION_SLUG);
  if (existing)
    return { organizationId: existing.id, created: false, apiKey: DEMO_API_KEY, admin: DEMO_ADMIN };

  const organizationId = await db.transaction().execute(async (tx) => {
    const organization = await insertOrganization(tx, {
      slug: DEMO_ORGANIZATION_SLUG,
      name: 'Nordwind Trading',
      legal_name: 'Nordwind Trading Sp. z o.o.',
      vat_number: 'PL5252812345',
      registration_number: 'KRS 0000765432',
      address_line1: 'ul. Marszałkowska 84/92',
      postal_code: '00-514',
      city: 'Warszawa',
      country: 'PL',
      bank_account_holder: 'Nordwind Trading Sp. z o.o.',
      bank_iban: 'PL61109010140000071219812874',
      bank_bic: 'WBKPPLPP',
      bank_name: 'Santander Bank Polska',
      sender_name: 'Nordwind Trading — Accounts Receivable',
      sender_email: 'ar@nordwind.example',
      sender_phone: '+48221234567',
      signatory_name: 'Ewa Zielińska',
      default_currency: 'EUR',
      default_locale: 'en',
      default_time_zone: 'Europe/Warsaw',
    });
    await installDefaultReminders(tx, organization.id, {
      name: 'Default (demo: any hour, every day)',
      policy: DEMO_POLICY,
    });
    await insertUser(tx, {
      organization_id: organization.id,
      email: DEMO_ADMIN.email,
      name: 'Demo Admin',
      password_hash: await hashPassword(DEMO_ADMIN.password),
      role: 'admin',
    });
    await createApiKey(tx, { organizationId: organization.id, name: 'demo', secret: DEMO_API_KEY });

    let number = 1000;
    for (const demo of CUSTOMERS) {
      const customer = await insertCustomer(tx, {
        organization_id: organization.id,
        code: demo.code,
        name: demo.name,
        contact_name: demo.contact,
        email: demo.email,
        phone: demo.phone,
        vat_number: demo.vat,
        address_line1: '1 Demo Street',
        postal_code: '00-000',
        city: demo.city,
        country: demo.country,
        locale: demo.locale,
        time_zone: demo.timeZone,
      });
      for (const [dueInDays, amount, stage] of demo.invoices) {
        const dueDate = addDays(today, dueInDays);
        const invoice = await insertInvoice(tx, {
          organization_id: organization.id,
          customer_id: customer.id,
          number: `NW/2026/${++number}`,
          currency: demo.currency,
          total_minor: amount,
          paid_minor: stage === 'paid' ? amount : stage === 'partial' ? Math.floor(amount / 2) : 0,
          status: stage === 'paid' ? 'paid' : 'open',
          issue_date: addDays(dueDate, -30),
          due_date: dueDate,
          lines: [
            {
              description: 'Goods as per delivery note',
              quantity_milli: 1000,
              unit_price_minor: amount,
              total_minor: amount,
            },
          ],
        });
        const ids = { organizationId: organization.id, invoiceId: invoice.id, customerId: customer.id };
        if (invoice.paid_minor > 0) {
          const { payment } = await insertPaymentOnce(tx, {
            organization_id: organization.id,
            customer_id: customer.id,
            provider: 'manual',
            provider_payment_id: `demo-${invoice.number}`,
            method: 'bank_transfer',
            amount_minor: invoice.paid_minor,
            currency: invoice.currency,
            status: 'confirmed',
          });
          await allocatePayment(tx, { ...ids, paymentId: payment.id, amountMinor: invoice.paid_minor });
        }
        if (stage === 'disputed') {
          await openDispute(tx, {
            ...ids,
            reason: 'wrong_amount',
            message: 'The delivery was short by two pallets.',
          });
        }
        if (stage === 'promised') await insertPromiseToPay(tx, { ...ids, promisedDate: addDays(today, 7) });
      }
    }
    return organization.id;
  });
  return { organizationId, created: true, apiKey: DEMO_API_KEY, admin: DEMO_ADMIN };
}

/**
 * One fresh portal link per demo customer (only token hashes are stored, so earlier links cannot be
 * printed again; they stay valid until they expire).
 */
export async function createDemoPortalLinks(
  db: Db,
  organizationId: string,
  portalBaseUrl: string,
  now: Date = new Date(),
): Promise<{ code: string; name: string; locale: string; url: string }[]> {
  const links = [];
  for (const customer of await listCustomers(db, organizationId)) {
    const link = await createPortalLink(db, {
      organizationId,
      customerId: customer.id,
      baseUrl: portalBaseUrl,
      now,
    });
    links.push({ code: customer.code, name: customer.name, locale: customer.locale, url: link.url });
  }
  return links;
}

/**
 * Starts the reminder workflow of every open invoice; those already running are left alone. The same
 * sweep the worker runs on its schedule (`reconcileInvoiceWorkflows`), run here once so the demo's
 * workflows exist before `up` prints its links.
 */
export async function startOpenInvoiceWorkflows(db: Db, temporalAddress: string): Promise<number> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const report = await reconcileInvoiceWorkflows({ db, temporal: new Client({ connection }) });
    return report.started;
  } finally {
    await connection.close();
  }
}
