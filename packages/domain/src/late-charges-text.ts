import {
  type LateChargesRule,
  nbpExchangeRateDay,
  type ReferenceRateKind,
  type StatutoryLateCharges,
} from './charges';
import { formatMoney, type Money } from './money';

// Kept apart from templates.ts (which renders these into letters) so neither imports the other's
// module graph back: templates → this file → charges, never the other way round.

type Language = 'pl' | 'de' | 'en' | 'fr';

interface Texts {
  rule: Record<LateChargesRule, string>;
  compensationBasis: Record<LateChargesRule, string>;
  referenceRate: Record<ReferenceRateKind, string>;
  interestHeading: (input: { reference: string; margin: string; principal: string; days: number }) => string;
  period: (input: { from: string; to: string; rate: string; days: number; interest: string }) => string;
  interestTotal: (interest: string) => string;
  compensation: (input: { basis: string; amount: string }) => string;
  converted: (input: { statutory: string; rate: string; date: string; amount: string }) => string;
  noCompensationCurrency: (currency: string) => string;
  noCompensationRate: (date: string) => string;
  notLate: string;
}

const TEXTS: Record<Language, Texts> = {
  en: {
    rule: {
      eu: 'Directive 2011/7/EU on combating late payment in commercial transactions',
      de: '§ 288 (2) and (5) of the German Civil Code (BGB)',
      fr: 'French Commercial Code, art. L441-10',
      pl: 'Polish Act on counteracting excessive delays in commercial transactions',
      uk: 'Late Payment of Commercial Debts (Interest) Act 1998',
    },
    compensationBasis: {
      eu: 'Directive 2011/7/EU art. 6',
      de: '§ 288 (5) BGB',
      fr: 'Code de commerce L441-10 and D441-5',
      pl: 'art. 10 of the Polish Act',
      uk: 's. 5A of the 1998 Act',
    },
    referenceRate: {
      ecb_main_refinancing: 'ECB main refinancing rate',
      de_base_rate: 'German base rate (Basiszinssatz)',
      nbp_reference: 'NBP reference rate',
      boe_base: 'Bank of England base rate',
    },
    interestHeading: ({ reference, margin, principal, days }) =>
      `Statutory interest: ${reference} + ${margin} points, simple interest on ${principal} for ${days} days late:`,
    period: ({ from, to, rate, days, interest }) => `${from} – ${to}: ${rate} × ${days}/365 = ${interest}`,
    interestTotal: (interest) => `Interest: ${interest}`,
    compensation: ({ basis, amount }) => `Fixed compensation for recovery costs (${basis}): ${amount}`,
    converted: ({ statutory, rate, date, amount }) =>
      `${statutory} at the NBP mid rate of ${date} (${rate} PLN/EUR) = ${amount}`,
    noCompensationCurrency: (currency) =>
      `No fixed compensation: the rule sets none for invoices in ${currency}.`,
    noCompensationRate: (date) =>
      `Fixed compensation not stated: the NBP EUR rate of ${date} is not on record.`,
    notLate: 'Not late: no interest or compensation is due yet.',
  },
  pl: {
    rule: {
      eu: 'dyrektywa 2011/7/UE w sprawie zwalczania opóźnień w płatnościach w transakcjach handlowych',
      de: '§ 288 ust. 2 i 5 niemieckiego kodeksu cywilnego (BGB)',
      fr: 'art. L441-10 francuskiego kodeksu handlowego',
      pl: 'ustawa o przeciwdziałaniu nadmiernym opóźnieniom w transakcjach handlowych',
      uk: 'Late Payment of Commercial Debts (Interest) Act 1998',
    },
    compensationBasis: {
      eu: 'art. 6 dyrektywy 2011/7/UE',
      de: '§ 288 ust. 5 BGB',
      fr: 'art. L441-10 i D441-5 Code de commerce',
      pl: 'art. 10 ust. 1 ustawy',
      uk: 'art. 5A ustawy z 1998 r.',
    },
    referenceRate: {
      ecb_main_refinancing: 'stopa podstawowych operacji refinansujących EBC',
      de_base_rate: 'niemiecka stopa bazowa (Basiszinssatz)',
      nbp_reference: 'stopa referencyjna NBP',
      boe_base: 'stopa bazowa Banku Anglii',
    },
    interestHeading: ({ reference, margin, principal, days }) =>
      `Odsetki ustawowe za opóźnienie w transakcjach handlowych: ${reference} + ${margin} pkt proc., od kwoty ${principal} za ${days} dni opóźnienia:`,
    period: ({ from, to, rate, days, interest }) => `${from} – ${to}: ${rate} × ${days}/365 = ${interest}`,
    interestTotal: (interest) => `Odsetki: ${interest}`,
    compensation: ({ basis, amount }) =>
      `Rekompensata za koszty odzyskiwania należności (${basis}): ${amount}`,
    converted: ({ statutory, rate, date, amount }) =>
      `${statutory} po średnim kursie NBP z dnia ${date} (${rate} zł/EUR) = ${amount}`,
    noCompensationCurrency: (currency) =>
      `Bez rekompensaty: przepisy nie określają jej dla faktur w walucie ${currency}.`,
    noCompensationRate: (date) => `Rekompensata nieustalona: brak średniego kursu EUR NBP z dnia ${date}.`,
    notLate: 'Brak opóźnienia: odsetki ani rekompensata nie są jeszcze należne.',
  },
  de: {
    rule: {
      eu: 'Richtlinie 2011/7/EU zur Bekämpfung von Zahlungsverzug im Geschäftsverkehr',
      de: '§ 288 Abs. 2 und 5 BGB',
      fr: 'Art. L441-10 des französischen Handelsgesetzbuchs (Code de commerce)',
      pl: 'polnisches Gesetz gegen übermäßige Zahlungsverzögerungen im Geschäftsverkehr',
      uk: 'Late Payment of Commercial Debts (Interest) Act 1998',
    },
    compensationBasis: {
      eu: 'Art. 6 Richtlinie 2011/7/EU',
      de: '§ 288 Abs. 5 BGB',
      fr: 'Art. L441-10 und D441-5 Code de commerce',
      pl: 'Art. 10 Abs. 1 des polnischen Gesetzes',
      uk: 'Sec. 5A des Gesetzes von 1998',
    },
    referenceRate: {
      ecb_main_refinancing: 'Hauptrefinanzierungssatz der EZB',
      de_base_rate: 'Basiszinssatz',
      nbp_reference: 'Referenzzinssatz der NBP',
      boe_base: 'Leitzins der Bank of England',
    },
    interestHeading: ({ reference, margin, principal, days }) =>
      `Verzugszinsen: ${reference} + ${margin} Prozentpunkte, einfache Zinsen auf ${principal} für ${days} Verzugstage:`,
    period: ({ from, to, rate, days, interest }) => `${from} – ${to}: ${rate} × ${days}/365 = ${interest}`,
    interestTotal: (interest) => `Zinsen: ${interest}`,
    compensation: ({ basis, amount }) => `Pauschale für Beitreibungskosten (${basis}): ${amount}`,
    converted: ({ statutory, rate, date, amount }) =>
      `${statutory} zum NBP-Mittelkurs vom ${date} (${rate} PLN/EUR) = ${amount}`,
    noCompensationCurrency: (currency) =>
      `Keine Pauschale: Die Vorschrift sieht für Rechnungen in ${currency} keine vor.`,
    noCompensationRate: (date) => `Pauschale nicht beziffert: Der NBP-Euro-Kurs vom ${date} liegt nicht vor.`,
    notLate: 'Kein Verzug: Zinsen und Pauschale sind noch nicht fällig.',
  },
  fr: {
    rule: {
      eu: 'directive 2011/7/UE concernant la lutte contre le retard de paiement dans les transactions commerciales',
      de: '§ 288 al. 2 et 5 du Code civil allemand (BGB)',
      fr: 'article L441-10 du Code de commerce',
      pl: 'loi polonaise relative à la lutte contre les retards excessifs dans les transactions commerciales',
      uk: 'Late Payment of Commercial Debts (Interest) Act 1998',
    },
    compensationBasis: {
      eu: 'art. 6 de la directive 2011/7/UE',
      de: '§ 288 al. 5 BGB',
      fr: 'articles L441-10 et D441-5 du Code de commerce',
      pl: 'art. 10 de la loi polonaise',
      uk: 'section 5A de la loi de 1998',
    },
    referenceRate: {
      ecb_main_refinancing: 'taux de refinancement de la BCE',
      de_base_rate: 'taux de base allemand (Basiszinssatz)',
      nbp_reference: 'taux de référence de la NBP',
      boe_base: 'taux directeur de la Banque d’Angleterre',
    },
    interestHeading: ({ reference, margin, principal, days }) =>
      `Pénalités de retard : ${reference} + ${margin} points, intérêts simples sur ${principal} pour ${days} jours de retard :`,
    period: ({ from, to, rate, days, interest }) => `${from} – ${to} : ${rate} × ${days}/365 = ${interest}`,
    interestTotal: (interest) => `Pénalités : ${interest}`,
    compensation: ({ basis, amount }) =>
      `Indemnité forfaitaire pour frais de recouvrement (${basis}) : ${amount}`,
    converted: ({ statutory, rate, date, amount }) =>
      `${statutory} au cours moyen NBP du ${date} (${rate} PLN/EUR) = ${amount}`,
    noCompensationCurrency: (currency) =>
      `Pas d’indemnité forfaitaire : la règle n’en prévoit pas pour une facture en ${currency}.`,
    noCompensationRate: (date) =>
      `Indemnité non chiffrée : le cours EUR de la NBP du ${date} n’est pas connu.`,
    notLate: 'Pas de retard : ni pénalités ni indemnité ne sont encore dues.',
  },
};

function languageOf(locale: string): Language {
  const language = locale.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return language === 'pl' || language === 'de' || language === 'fr' ? language : 'en';
}

function decimal(locale: string, value: number, digits: number): string {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** Basis points as a percentage for people: 1027 → `10.27 %` (`10,27 %` in `de`). */
export function formatBasisPoints(basisPoints: number, locale: string): string {
  // bp / 100 has at most two decimals, which a double holds exactly enough to print with two.
  return `${decimal(locale, basisPoints / 100, 2)} %`;
}

function formatDay(date: string, locale: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1),
  );
}

/** The statute a rule follows, named for people in the customer's language. */
export function lateChargesRuleName(rule: LateChargesRule, locale: string): string {
  return TEXTS[languageOf(locale)].rule[rule];
}

/**
 * The calculation behind statutory late charges, one line per step, in the customer's language (pl,
 * de, en, fr; anything else in English): the rule's reference rate and margin, each stretch of one
 * rate with its days and interest, the total interest and how the compensation was found. It is what a
 * final notice prints and what a debtor can check by hand.
 */
export function describeLateCharges(charges: StatutoryLateCharges, locale: string): string {
  const texts = TEXTS[languageOf(locale)];
  const money = (value: Money) => formatMoney(value, locale);
  if (charges.daysLate === 0) return texts.notLate;
  const lines = [
    texts.interestHeading({
      reference: texts.referenceRate[charges.referenceRate],
      margin: decimal(locale, charges.marginBasisPoints / 100, 0),
      principal: money(charges.principal),
      days: charges.daysLate,
    }),
    ...charges.periods.map((period) =>
      texts.period({
        from: formatDay(period.from, locale),
        to: formatDay(period.to, locale),
        rate: `(${formatBasisPoints(period.referenceRateBasisPoints, locale)} + ${formatBasisPoints(
          charges.marginBasisPoints,
          locale,
        )})`,
        days: period.days,
        interest: money(period.interest),
      }),
    ),
    texts.interestTotal(money(charges.interest)),
  ];
  const basis = texts.compensationBasis[charges.rule];
  if (charges.compensation && charges.compensationBasis) {
    const { statutory, exchangeRate } = charges.compensationBasis;
    const amount = exchangeRate
      ? texts.converted({
          statutory: money(statutory),
          rate: decimal(locale, exchangeRate.basisPoints / 10_000, 4),
          date: formatDay(exchangeRate.date, locale),
          amount: money(charges.compensation),
        })
      : money(charges.compensation);
    lines.push(texts.compensation({ basis, amount }));
  } else if (charges.compensationMissing === 'exchange_rate') {
    lines.push(texts.noCompensationRate(formatDay(nbpExchangeRateDay(charges.dueDate), locale)));
  } else if (charges.compensationMissing === 'currency') {
    lines.push(texts.noCompensationCurrency(charges.principal.currency));
  }
  return lines.join('\n');
}
