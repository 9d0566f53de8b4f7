import { describe, expect, it } from 'vitest';
import { SMS_SCENARIO_POLICY } from './policy-presets';
import { SMS_SCENARIO_TEMPLATES } from './sms-scenario-templates';
import { SUPPORTED_LOCALES, type SupportedLocale } from './template-locales';
import { buildTemplateValues, DEFAULT_TEMPLATES, renderTemplate, validateTemplate } from './templates';

const sample = (locale: string, currency: string) =>
  buildTemplateValues({
    locale,
    today: '2025-03-24',
    portalUrl: 'https://pay.acme.example/p/4fQ9xK2mZ7',
    organization: {
      name: 'Acme Sp. z o.o.',
      addressLines: ['ul. Prosta 20', '00-850 Warszawa'],
      city: 'Warszawa',
    },
    signatory: { name: 'Anna Nowak', email: 'anna.nowak@acme.example' },
    customer: { name: 'Globex GmbH', code: 'C-0042' },
    invoices: [
      {
        number: 'FV/2025/03/0142',
        currency,
        totalMinor: 1_234_567,
        balanceMinor: 1_234_567,
        dueDate: '2025-03-10',
      },
    ],
  });

const SAMPLES: Record<SupportedLocale, Record<string, string>> = {
  pl: sample('pl-PL', 'PLN'),
  de: sample('de-DE', 'EUR'),
  en: sample('en-GB', 'GBP'),
  fr: sample('fr-FR', 'EUR'),
};

// The wording the existing SMS use: we may be wrong, and an apology if the debtor has already paid.
const POLITENESS: Record<SupportedLocale, RegExp[]> = {
  en: [
    /unless there is an error or oversight on our side/i,
    /if you have paid in the meantime, please ignore this message/i,
  ],
  pl: [/o ile nie doszło do błędu lub przeoczenia z naszej strony/i, /prosimy zignorować tę wiadomość/],
  de: [/sofern uns kein Fehler oder Versehen unterlaufen ist/i, /gegenstandslos/],
  fr: [/sauf erreur ou omission de notre part/i, /merci d’ignorer ce message/],
};

const sms = SMS_SCENARIO_TEMPLATES.filter((template) => template.channel === 'sms');

describe('SMS_SCENARIO_TEMPLATES', () => {
  it('covers every step of the SMS scenario in every locale, and every organization gets them', () => {
    for (const step of SMS_SCENARIO_POLICY.steps) {
      for (const locale of SUPPORTED_LOCALES) {
        const found = SMS_SCENARIO_TEMPLATES.filter(
          (t) => t.key === step.templateKey && t.channel === step.channel && t.locale === locale,
        );
        expect(found, `${step.key} ${locale}`).toHaveLength(1);
      }
    }
    for (const template of SMS_SCENARIO_TEMPLATES) expect(DEFAULT_TEMPLATES).toContain(template);
  });

  for (const template of sms) {
    it(`${template.key}/${template.locale} renders under 320 characters (two SMS segments) with the portal link`, () => {
      expect(validateTemplate(template)).toEqual({ ok: true });
      expect(template.subject).toBe('');
      const text = renderTemplate(template.body, SAMPLES[template.locale]);
      expect(text.length, text).toBeLessThan(320);
      expect(text).toContain('https://pay.acme.example/p/4fQ9xK2mZ7');
    });
  }

  it('says in every reminder SMS that we may be wrong, and to ignore it if already paid', () => {
    const reminderKeys = ['sms-due-day', 'sms-overdue'];
    for (const template of sms.filter((t) => reminderKeys.includes(t.key))) {
      for (const phrase of POLITENESS[template.locale])
        expect(template.body, template.locale).toMatch(phrase);
    }
    for (const template of sms.filter((t) => t.key === 'sms-pre-due')) {
      expect(template.body, template.locale).toMatch(POLITENESS[template.locale][1]!);
    }
  });

  it('never says "today", so a caught-up or merged SMS stays true', () => {
    for (const template of sms) expect(template.body).not.toMatch(/\b(today|heute|dziś|aujourd’hui)\b/i);
  });
});
