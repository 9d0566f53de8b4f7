import { describe, expect, it } from 'vitest';
import { POLICY_PRESETS } from './policy-presets';
import type { SupportedLocale, TemplateValuesInput } from './templates';
import {
  buildTemplateValues,
  DEFAULT_TEMPLATES,
  formatLongDate,
  renderTemplate,
  resolveLocale,
  SUPPORTED_LOCALES,
  TEMPLATE_VARIABLES,
  TemplateError,
  templateVariablesOf,
  validateTemplate,
} from './templates';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

function sampleInput(overrides: Partial<TemplateValuesInput> = {}): TemplateValuesInput {
  return {
    locale: 'en-GB',
    today: '2025-03-20',
    portalUrl: 'https://pay.acme.example/p/4fQ9xK2mZ7',
    organization: {
      name: 'Acme Sp. z o.o.',
      addressLines: ['ul. Prosta 20', '00-850 Warszawa'],
      city: 'Warszawa',
      vatNumber: 'PL5260001246',
      registrationNumber: 'KRS 0000123456',
      logoUrl: null,
      bank: {
        accountHolder: null,
        iban: 'PL61109010140000071219812874',
        bic: 'WBKPPLPP',
        bankName: 'Santander Bank Polska',
      },
    },
    signatory: { name: 'Anna Nowak', email: 'anna.nowak@acme.example', phone: null },
    customer: {
      name: 'Globex GmbH',
      code: 'C-0042',
      addressLines: ['Hauptstraße 5', '10115 Berlin'],
      vatNumber: null,
    },
    invoices: [
      {
        number: 'FV/2025/03/0142',
        currency: 'EUR',
        totalMinor: 123_456,
        balanceMinor: 123_456,
        dueDate: '2025-03-10',
      },
    ],
    charges: {
      interest: { amountMinor: 406, currency: 'EUR' },
      compensation: { amountMinor: 4000, currency: 'EUR' },
    },
    ...overrides,
  };
}

describe('resolveLocale', () => {
  it('maps regional and underscore locales to their language and anything else to English', () => {
    expect(resolveLocale('de-AT')).toBe('de');
    expect(resolveLocale('pl_PL')).toBe('pl');
    expect(resolveLocale('FR-be')).toBe('fr');
    expect(resolveLocale('en-US')).toBe('en');
    expect(resolveLocale('es-ES')).toBe('en');
    expect(resolveLocale('')).toBe('en');
    expect(SUPPORTED_LOCALES).toEqual(['pl', 'de', 'en', 'fr']);
  });
});

describe('validateTemplate', () => {
  it('accepts known variables, with or without spaces inside the braces', () => {
    expect(
      validateTemplate({ subject: 'Invoice {{ invoice.number }}', body: 'Dear {{customer.name}}' }),
    ).toEqual({
      ok: true,
    });
  });

  it('names each unknown variable once, with the field it is in', () => {
    expect(
      validateTemplate({
        subject: 'Hello {{customer.nmae}}',
        body: '{{invoice.total}} and again {{invoice.total}}, {{invoice.number}}',
      }),
    ).toEqual({
      ok: false,
      errors: [
        { field: 'subject', variable: 'customer.nmae', message: 'unknown variable {{customer.nmae}}' },
        { field: 'body', variable: 'invoice.total', message: 'unknown variable {{invoice.total}}' },
      ],
    });
  });

  it('reports braces that are never closed, including one followed by another opening', () => {
    const result = validateTemplate({
      subject: 'Invoice {{invoice.number',
      body: 'A {{customer.name {{today}}',
    });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toEqual([
      { field: 'subject', message: expect.stringContaining('never closed') },
      { field: 'body', message: expect.stringContaining('never closed') },
    ]);
  });

  it('refuses logic other than an optional section, and anything else that is not a dotted name', () => {
    const result = validateTemplate({ subject: '', body: '{{#each invoices}}x{{/each}} {{a + b}}' });
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors.map((e) => e.variable)).toEqual([
      '#each invoices',
      '/each',
      'a + b',
    ]);
  });

  it('accepts an optional section over a known variable, and names an unknown one or an unclosed one', () => {
    expect(
      validateTemplate({ subject: '', body: '{{#if charges.total}}Charges: {{charges.total}}{{/if}}' }),
    ).toEqual({ ok: true });
    const unknown = validateTemplate({ subject: '', body: '{{#if overdue}}late{{/if}}' });
    expect(unknown.ok ? [] : unknown.errors.map((e) => e.variable)).toEqual(['overdue']);
    const unclosed = validateTemplate({ subject: '', body: '{{#if charges.total}}late' });
    expect(unclosed.ok ? [] : unclosed.errors.map((e) => e.message)).toEqual([
      expect.stringContaining('never closed'),
    ]);
  });

  it('keeps a section only when its variable has a value, and needs no value inside a dropped one', () => {
    const text =
      'Balance due.{{#if charges.total}}\nCharges: {{charges.total}} ({{charges.interest}}){{/if}}';
    expect(renderTemplate(text, {})).toBe('Balance due.');
    expect(renderTemplate(text, { 'charges.total': '€42.00', 'charges.interest': '€2.00' })).toBe(
      'Balance due.\nCharges: €42.00 (€2.00)',
    );
    expect(() => renderTemplate(text, { 'charges.total': '€42.00' })).toThrow(/charges\.interest/);
  });

  it('lists every variable with a description', () => {
    expect(TEMPLATE_VARIABLES.length).toBe(31);
    for (const variable of TEMPLATE_VARIABLES) expect(variable.description.length).toBeGreaterThan(5);
  });
});

describe('renderTemplate', () => {
  it('replaces every placeholder with its value', () => {
    expect(renderTemplate('{{ a.b }} owes {{c}}; {{a.b}} again', { 'a.b': 'Globex', c: '€5.00' })).toBe(
      'Globex owes €5.00; Globex again',
    );
  });

  it('throws a TemplateError naming every variable without a value rather than render a blank', () => {
    const render = () => renderTemplate('{{a}} {{b}} {{c}} {{constructor}}', { a: 'x', b: '  ' });
    expect(render).toThrow(TemplateError);
    expect(render).toThrow(
      expect.objectContaining({ code: 'missing_template_value', variables: ['b', 'c', 'constructor'] }),
    );
  });

  it('throws on broken syntax', () => {
    expect(() => renderTemplate('Hi {{name', { name: 'x' })).toThrow(
      expect.objectContaining({ code: 'invalid_template' }),
    );
  });

  it('escapes values (not the template) when given an escape function', () => {
    const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    expect(renderTemplate('<b>{{n}}</b>', { n: 'A & <B>' }, { escape: html })).toBe('<b>A &amp; &lt;B></b>');
  });

  it('finds the variables a text uses', () => {
    expect(templateVariablesOf('{{a}} {{b.c}} {{a}}')).toEqual(['a', 'b.c']);
  });
});

describe('buildTemplateValues', () => {
  it('formats amounts and dates for the locale and groups the IBAN', () => {
    const values = buildTemplateValues(sampleInput({ locale: 'de-DE' }));
    expect(values).toMatchObject({
      'customer.name': 'Globex GmbH',
      'customer.code': 'C-0042',
      'customer.address': 'Hauptstraße 5\n10115 Berlin',
      'company.address': 'ul. Prosta 20\n00-850 Warszawa',
      'invoice.number': 'FV/2025/03/0142',
      'invoice.amount': `1.234,56${NBSP}€`,
      'invoice.balance': `1.234,56${NBSP}€`,
      'invoice.dueDate': '10. März 2025',
      'invoice.daysOverdue': '10',
      'invoice.list': `- Rechnung FV/2025/03/0142, fällig am 10. März 2025 (10 Tage überfällig): offen 1.234,56${NBSP}€`,
      'customer.totalOverdue': `1.234,56${NBSP}€`,
      today: '20. März 2025',
      'charges.interest': `4,06${NBSP}€`,
      'charges.compensation': `40,00${NBSP}€`,
      'charges.total': `44,06${NBSP}€`,
      'company.bankDetails':
        'Kontoinhaber: Acme Sp. z o.o.\nIBAN: PL61 1090 1014 0000 0712 1981 2874\nBIC: WBKPPLPP\nBank: Santander Bank Polska',
    });
  });

  it('leaves out variables without data so that templates using them fail loudly', () => {
    const values = buildTemplateValues(sampleInput({ charges: null }));
    for (const name of [
      'customer.vatNumber',
      'company.logoUrl',
      'signatory.phone',
      'charges.interest',
      'promise.date',
    ]) {
      expect(values, name).not.toHaveProperty(name);
    }
    const noBank = buildTemplateValues(
      sampleInput({ organization: { ...sampleInput().organization, bank: { bankName: 'Some Bank' } } }),
    );
    expect(noBank).not.toHaveProperty(['company.bankDetails']);
  });

  it('describes a merged message: all numbers, summed balances per currency, the oldest due date', () => {
    const values = buildTemplateValues(
      sampleInput({
        locale: 'en-GB',
        invoices: [
          { number: 'A-1', currency: 'EUR', totalMinor: 10_000, balanceMinor: 4_000, dueDate: '2025-03-05' },
          { number: 'A-2', currency: 'EUR', totalMinor: 5_000, balanceMinor: 5_000, dueDate: '2025-02-20' },
          { number: 'A-3', currency: 'PLN', totalMinor: 20_000, balanceMinor: 20_000, dueDate: '2025-04-01' },
        ],
        promiseDate: '2025-03-31',
      }),
    );
    expect(values).toMatchObject({
      'invoice.number': 'A-1, A-2, A-3',
      'invoice.numbers': 'A-1, A-2, A-3',
      'invoice.balance': `€90.00 + PLN${NBSP}200.00`,
      'invoice.amount': `€150.00 + PLN${NBSP}200.00`,
      'invoice.dueDate': '20 February 2025',
      'invoice.daysOverdue': '28',
      // A-3 is not due yet on 20 March.
      'customer.totalOverdue': '€90.00',
      'promise.date': '31 March 2025',
    });
    expect(values['invoice.list']).toBe(
      [
        '- Invoice A-1, due 5 March 2025 (15 days overdue): €40.00 outstanding (invoice total €100.00)',
        '- Invoice A-2, due 20 February 2025 (28 days overdue): €50.00 outstanding',
        `- Invoice A-3, due 1 April 2025 (due in 12 days): PLN${NBSP}200.00 outstanding`,
      ].join('\n'),
    );
    // Two overdue and one not yet due: no single status is true of all three.
    expect(values['invoice.dueStatus']).toBe('partly overdue');
  });

  it('states a due status that is true of every invoice in the message, on the day it is sent', () => {
    const due = (dueDate: string) => ({
      number: `N-${dueDate}`,
      currency: 'EUR',
      totalMinor: 100,
      balanceMinor: 100,
      dueDate,
    });
    const status = (locale: string, today: string, ...dueDates: string[]) =>
      buildTemplateValues(sampleInput({ locale, today, invoices: dueDates.map(due) }))['invoice.dueStatus'];
    expect(status('en', '2026-12-01', '2026-12-01')).toBe('due today');
    // A due-day reminder caught up a day late does not say "due today".
    expect(status('en', '2026-12-02', '2026-12-01')).toBe('1 day overdue');
    expect(status('en', '2026-12-01', '2026-12-03')).toBe('due in 2 days');
    // The case of the source report: "due today" listing an invoice 9 days overdue.
    expect(status('en', '2026-12-01', '2026-12-01', '2026-11-22')).toBe('partly overdue');
    expect(status('en', '2026-12-01', '2026-11-30', '2026-11-22')).toBe('overdue');
    expect(status('en', '2026-12-01', '2026-12-01', '2026-12-05')).toBe('due soon');
    expect(status('pl', '2026-12-01', '2026-11-22')).toBe('9 dni po terminie');
    expect(status('de', '2026-12-01', '2026-12-01')).toBe('heute fällig');
    expect(status('fr', '2026-12-01', '2026-12-02')).toBe('à échéance dans 1 jour');
  });

  it('takes the customer overdue total from all their invoices when given', () => {
    const values = buildTemplateValues(
      sampleInput({
        customerInvoices: [
          { number: 'X', currency: 'EUR', totalMinor: 100_000, balanceMinor: 100_000, dueDate: '2025-01-01' },
          { number: 'Y', currency: 'EUR', totalMinor: 100_000, balanceMinor: 23_456, dueDate: '2025-03-10' },
        ],
      }),
    );
    expect(values['customer.totalOverdue']).toBe('€1,234.56');
  });

  it('prints long dates the way each language writes them', () => {
    expect(formatLongDate('2025-03-05', 'pl')).toBe('5 marca 2025');
    expect(formatLongDate('2025-03-05', 'de')).toBe('5. März 2025');
    expect(formatLongDate('2025-03-05', 'en-US')).toBe('March 5, 2025');
    expect(formatLongDate('2025-03-05', 'fr')).toBe('5 mars 2025');
  });
});

describe('DEFAULT_TEMPLATES', () => {
  const samples: Record<SupportedLocale, { input: TemplateValuesInput; money: string }> = {
    pl: {
      input: sampleInput({
        locale: 'pl-PL',
        invoices: [
          {
            number: 'FV/2025/03/0142',
            currency: 'PLN',
            totalMinor: 1_234_567,
            balanceMinor: 1_234_567,
            dueDate: '2025-03-10',
          },
        ],
        charges: {
          interest: { amountMinor: 4_060, currency: 'PLN' },
          compensation: { amountMinor: 17_000, currency: 'PLN' },
        },
      }),
      money: `12${NBSP}345,67${NBSP}zł`,
    },
    de: { input: sampleInput({ locale: 'de-DE' }), money: `1.234,56${NBSP}€` },
    en: { input: sampleInput({ locale: 'en-IE' }), money: '€1,234.56' },
    fr: { input: sampleInput({ locale: 'fr-FR' }), money: `1${NNBSP}234,56${NBSP}€` },
  };

  const politeness: Record<SupportedLocale, RegExp[]> = {
    en: [
      /unless there is an error or oversight on our side/i,
      /if you have paid in the meantime, please (ignore this message|disregard this letter) and accept our apologies/i,
    ],
    pl: [
      /o ile nie doszło do błędu lub przeoczenia z naszej strony/i,
      /zignorow\S* (tę wiadomość|tej wiadomości|tego pisma)/,
      /przeprosin/,
    ],
    de: [/sofern uns kein Fehler oder Versehen unterlaufen ist/i, /gegenstandslos/, /um Entschuldigung/],
    fr: [
      /sauf erreur ou omission de notre part/i,
      /(ne pas tenir compte de|ignorer) ce (message|courrier)/,
      /nous en excuser/,
    ],
  };
  const reminderKeys = ['pre-due', 'due-day', 'overdue', 'firm-overdue', 'final-notice'];

  it('has exactly one template per template key and channel of every policy preset in every locale', () => {
    const notices = ['promise-missed/email', 'payment-failed/email'];
    const steps = POLICY_PRESETS.flatMap((preset) => preset.policy.steps);
    const needed = [...new Set([...steps.map((s) => `${s.templateKey}/${s.channel}`), ...notices])].sort();
    for (const locale of SUPPORTED_LOCALES) {
      const present = DEFAULT_TEMPLATES.filter((t) => t.locale === locale).map(
        (t) => `${t.key}/${t.channel}`,
      );
      expect(present.sort(), locale).toEqual(needed);
    }
  });

  it('uses only known variables and valid syntax', () => {
    for (const template of DEFAULT_TEMPLATES) {
      expect(validateTemplate(template), `${template.key}/${template.channel}/${template.locale}`).toEqual({
        ok: true,
      });
    }
  });

  for (const template of DEFAULT_TEMPLATES) {
    const name = `${template.key}/${template.channel}/${template.locale}`;
    it(`${name} renders completely, with amounts in the locale's format`, () => {
      const { input, money } = samples[template.locale];
      const values = buildTemplateValues({ ...input, promiseDate: '2025-03-31' });
      const subject = renderTemplate(template.subject, values);
      const body = renderTemplate(template.body, values);
      expect(`${subject}\n${body}`).not.toMatch(/\{\{|\}\}/);
      if (/invoice\.(balance|amount)/.test(template.subject + template.body)) expect(body).toContain(money);
      expect(body).not.toMatch(/undefined|null|NaN/);
    });
  }

  it('says in every reminder, in each language, that we may be wrong and apologises if already paid', () => {
    for (const template of DEFAULT_TEMPLATES.filter((t) => reminderKeys.includes(t.key))) {
      for (const phrase of politeness[template.locale]) {
        expect(template.body, `${template.key}/${template.channel}/${template.locale}`).toMatch(phrase);
      }
    }
  });

  it('gives the portal link in every message to the debtor and the bank details in every e-mail and letter', () => {
    for (const template of DEFAULT_TEMPLATES) {
      const name = `${template.key}/${template.channel}/${template.locale}`;
      if (template.channel === 'call' || template.channel === 'collections') continue;
      expect(template.body, name).toContain('{{portal.url}}');
      if (template.channel !== 'sms' && template.key !== 'thank-you') {
        expect(template.body, name).toContain('{{company.bankDetails}}');
      }
    }
  });

  it('states the late charges in the final notice letter', () => {
    for (const template of DEFAULT_TEMPLATES.filter((t) => t.key === 'final-notice')) {
      expect(template.channel).toBe('letter');
      for (const variable of ['charges.interest', 'charges.compensation', 'charges.total']) {
        expect(templateVariablesOf(template.body), template.locale).toContain(variable);
      }
    }
  });

  it('keeps the due-day SMS under 320 characters with typical values', () => {
    for (const template of DEFAULT_TEMPLATES.filter((t) => t.channel === 'sms')) {
      const text = renderTemplate(template.body, buildTemplateValues(samples[template.locale].input));
      expect(text.length, `${template.locale}: ${text}`).toBeLessThan(320);
    }
  });
});
