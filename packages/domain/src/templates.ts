import { daysBetween, isValidDate } from './calendar';
import type { StatutoryLateCharges } from './charges';
import { DomainError } from './errors';
import { describeLateCharges, lateChargesRuleName } from './late-charges-text';
import type { Money } from './money';
import { formatMoney, sumByCurrency } from './money';
import { daysOverdue } from './planning';
import { SUPPORTED_LOCALES, type SupportedLocale } from './template-locales';

export { DEFAULT_TEMPLATES } from './default-templates';
export { type DefaultTemplate, SUPPORTED_LOCALES, type SupportedLocale } from './template-locales';

/** The template language for a customer locale: `de-AT` → `de`, `pl_PL` → `pl`, anything else → `en`. */
export function resolveLocale(locale: string): SupportedLocale {
  const language = locale.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (SUPPORTED_LOCALES as readonly string[]).includes(language) ? (language as SupportedLocale) : 'en';
}

/** Every variable a template may use, with what it renders to. */
export const TEMPLATE_VARIABLES = [
  { name: 'customer.name', description: 'Customer (debtor) name' },
  { name: 'customer.code', description: 'Customer number / client code in our books' },
  { name: 'customer.address', description: 'Customer postal address, one line per row' },
  { name: 'customer.vatNumber', description: 'Customer VAT number' },
  { name: 'customer.totalOverdue', description: 'Everything the customer owes past its due date' },
  { name: 'company.name', description: 'Our company name' },
  { name: 'company.address', description: 'Our postal address, one line per row' },
  { name: 'company.city', description: 'Our city (for the place and date line of a letter)' },
  { name: 'company.vatNumber', description: 'Our VAT number' },
  { name: 'company.registrationNumber', description: 'Our company registration number' },
  { name: 'company.logoUrl', description: 'URL of our logo' },
  { name: 'company.bankDetails', description: 'Our bank account for transfers, one labelled line per field' },
  {
    name: 'invoice.number',
    description: 'Invoice number (all numbers, comma-separated, in a merged message)',
  },
  { name: 'invoice.numbers', description: 'All invoice numbers in the message, comma-separated' },
  { name: 'invoice.amount', description: 'Invoice total (sum of totals in a merged message)' },
  { name: 'invoice.balance', description: 'Amount still to pay (sum of balances in a merged message)' },
  { name: 'invoice.dueDate', description: 'Due date (the earliest one in a merged message)' },
  {
    name: 'invoice.daysOverdue',
    description: 'Days past the due date (the oldest invoice in a merged message)',
  },
  {
    name: 'invoice.dueStatus',
    description:
      'Where the invoices stand today: "due in 2 days", "due today", "9 days overdue" (a neutral word when a merged message lists invoices that stand differently)',
  },
  {
    name: 'invoice.list',
    description: 'One line per invoice in the message: number, due date, where it stands today, balance',
  },
  { name: 'today', description: 'Date of the message' },
  { name: 'signatory.name', description: 'Name of the person signing' },
  { name: 'signatory.email', description: 'E-mail address for replies' },
  { name: 'signatory.phone', description: 'Phone number for questions' },
  { name: 'portal.url', description: 'Link to the customer portal: statement, payment, dispute, promise' },
  { name: 'charges.interest', description: 'Statutory late-payment interest to date' },
  { name: 'charges.compensation', description: 'Fixed compensation for recovery costs' },
  { name: 'charges.total', description: 'Interest plus compensation' },
  { name: 'charges.rule', description: 'The statute the charges are claimed under, e.g. § 288 BGB' },
  {
    name: 'charges.calculation',
    description: 'How the charges were computed: rate, days and amount per period, and the compensation',
  },
  { name: 'promise.date', description: 'Date the customer promised to pay' },
] as const;

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number]['name'];

const KNOWN_VARIABLES: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES.map((variable) => variable.name));

/** Thrown when a template cannot be rendered; `variables` names the placeholders at fault. */
export class TemplateError extends DomainError {
  override name = 'TemplateError';
  readonly variables: string[];

  constructor(code: 'invalid_template' | 'missing_template_value', message: string, variables: string[]) {
    super(code, message);
    this.variables = variables;
  }
}

const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$/;

type Token =
  | { kind: 'text'; text: string }
  | { kind: 'variable'; name: string }
  /** `{{#if name}}`: what follows, up to the matching `{{/if}}`, is kept only when `name` has a value. */
  | { kind: 'if'; name: string }
  | { kind: 'endif' };

const IF_OPEN = /^#if\s+(\S+)$/;

interface SyntaxProblem {
  variable?: string;
  message: string;
}

/** Splits `text` into literal text and `{{name}}` placeholders, collecting syntax problems. */
function tokenize(text: string): { tokens: Token[]; problems: SyntaxProblem[] } {
  const tokens: Token[] = [];
  const problems: SyntaxProblem[] = [];
  let position = 0;
  while (position < text.length) {
    const open = text.indexOf('{{', position);
    if (open === -1) {
      tokens.push({ kind: 'text', text: text.slice(position) });
      break;
    }
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      const excerpt = text.slice(open, open + 30).split('\n')[0];
      problems.push({ message: `'{{' at position ${open} is never closed with '}}' (near "${excerpt}")` });
      tokens.push({ kind: 'text', text: text.slice(position, open + 2) });
      position = open + 2;
      continue;
    }
    if (open > position) tokens.push({ kind: 'text', text: text.slice(position, open) });
    const name = text.slice(open + 2, close).trim();
    const condition = IF_OPEN.exec(name)?.[1];
    if (VARIABLE_NAME.test(name)) {
      tokens.push({ kind: 'variable', name });
    } else if (condition !== undefined && VARIABLE_NAME.test(condition)) {
      tokens.push({ kind: 'if', name: condition });
    } else if (name === '/if') {
      tokens.push({ kind: 'endif' });
    } else {
      problems.push({
        variable: name,
        message: `'{{${name}}}' is not a variable name; templates only take names like {{customer.name}}`,
      });
      tokens.push({ kind: 'text', text: text.slice(open, close + 2) });
    }
    position = close + 2;
  }
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'if') depth++;
    if (token.kind === 'endif' && --depth < 0) {
      problems.push({ message: "'{{/if}}' without an '{{#if …}}' before it" });
      depth = 0;
    }
  }
  if (depth > 0) problems.push({ message: "'{{#if …}}' is never closed with '{{/if}}'" });
  return { tokens, problems };
}

/** The tokens a render keeps: sections whose condition has no value are dropped with their content. */
function activeTokens(tokens: Token[], has: (name: string) => boolean): Token[] {
  const kept: Token[] = [];
  const open: boolean[] = [];
  for (const token of tokens) {
    if (token.kind === 'if') open.push(open.every(Boolean) && has(token.name));
    else if (token.kind === 'endif') open.pop();
    else if (open.every(Boolean)) kept.push(token);
  }
  return kept;
}

/** The distinct variable names a template text uses, in order of first use. */
export function templateVariablesOf(text: string): string[] {
  const names = tokenize(text).tokens.flatMap((token) =>
    token.kind === 'variable' || token.kind === 'if' ? [token.name] : [],
  );
  return [...new Set(names)];
}

export interface TemplateValidationError {
  field: 'subject' | 'body';
  variable?: string;
  message: string;
}

/** Checks a template's syntax and that it uses only known variables. */
export function validateTemplate(template: {
  subject: string;
  body: string;
}): { ok: true } | { ok: false; errors: TemplateValidationError[] } {
  const errors: TemplateValidationError[] = [];
  for (const field of ['subject', 'body'] as const) {
    const { tokens, problems } = tokenize(template[field]);
    for (const problem of problems) errors.push({ field, ...problem });
    const reported = new Set<string>();
    for (const token of tokens) {
      if (token.kind !== 'variable' && token.kind !== 'if') continue;
      if (KNOWN_VARIABLES.has(token.name) || reported.has(token.name)) continue;
      reported.add(token.name);
      errors.push({ field, variable: token.name, message: `unknown variable {{${token.name}}}` });
    }
  }
  return errors.length === 0 ? { ok: true } : { ok: false, errors };
}

/**
 * Replaces `{{name}}` placeholders with `values`. Throws a TemplateError rather than send a message
 * with a hole in it when a used variable has no value (or only whitespace). A section
 * `{{#if name}}…{{/if}}` is kept only when `name` has a value (a letter's charges paragraph when the
 * policy claims charges), and variables inside a dropped section need none. Values are inserted as
 * they are; pass `escape` when rendering into HTML.
 */
export function renderTemplate(
  text: string,
  values: Readonly<Record<string, string>>,
  options: { escape?: (value: string) => string } = {},
): string {
  const { tokens, problems } = tokenize(text);
  if (problems.length > 0) {
    throw new TemplateError(
      'invalid_template',
      `Template cannot be rendered: ${problems.map((problem) => problem.message).join('; ')}`,
      problems.flatMap((problem) => (problem.variable === undefined ? [] : [problem.variable])),
    );
  }
  const valueFor = (name: string): string | undefined => {
    const value = Object.hasOwn(values, name) ? values[name] : undefined;
    return typeof value === 'string' && value.trim() !== '' ? value : undefined;
  };
  const kept = activeTokens(tokens, (name) => valueFor(name) !== undefined);
  const missing = [
    ...new Set(
      kept.flatMap((t) => (t.kind === 'variable' && valueFor(t.name) === undefined ? [t.name] : [])),
    ),
  ];
  if (missing.length > 0) {
    throw new TemplateError(
      'missing_template_value',
      `No value for ${missing.map((name) => `{{${name}}}`).join(', ')}`,
      missing,
    );
  }
  const escapeValue = options.escape ?? ((value: string) => value);
  return kept
    .map((token) =>
      token.kind === 'text'
        ? token.text
        : token.kind === 'variable'
          ? escapeValue(valueFor(token.name)!)
          : '',
    )
    .join('');
}

export interface TemplateInvoice {
  number: string;
  currency: string;
  totalMinor: number;
  balanceMinor: number;
  dueDate: string;
}

export interface TemplateValuesInput {
  /** The customer's locale (`pl-PL`, `en-GB`): amounts and dates are formatted for it. */
  locale: string;
  /** The message date, `YYYY-MM-DD` in the customer's time zone. */
  today: string;
  portalUrl: string;
  organization: {
    name: string;
    addressLines: readonly string[];
    city: string;
    vatNumber?: string | null;
    registrationNumber?: string | null;
    logoUrl?: string | null;
    bank?: {
      accountHolder?: string | null;
      iban?: string | null;
      bic?: string | null;
      bankName?: string | null;
    } | null;
  };
  signatory: { name: string; email: string; phone?: string | null };
  customer: {
    name: string;
    code: string;
    addressLines?: readonly string[] | null;
    vatNumber?: string | null;
  };
  /** The invoices this message is about: one, or several in a merged message. */
  invoices: readonly TemplateInvoice[];
  /** All the customer's open invoices, for `customer.totalOverdue`; defaults to `invoices`. */
  customerInvoices?: readonly TemplateInvoice[];
  /** Statutory charges (with their rule and calculation), or bare amounts (then no rule or calculation is stated). */
  charges?: StatutoryLateCharges | { interest: Money; compensation: Money | null } | null;
  promiseDate?: string | null;
}

interface LocaleLabels {
  /** Between a label and its value: French sets a space before the colon. */
  colon: string;
  accountHolder: string;
  iban: string;
  bic: string;
  bankName: string;
  invoiceLine: (line: {
    number: string;
    dueDate: string;
    status: string;
    balance: string;
    total?: string;
  }) => string;
  /** Where an invoice stands on the message's day; `days` is at least 1. */
  dueToday: string;
  dueIn: (days: number) => string;
  overdueBy: (days: number) => string;
  /** Several invoices, each with its own line: all not yet due, all overdue, or some of each. */
  severalDueSoon: string;
  severalOverdue: string;
  severalMixed: string;
}

// The line layout of invoice.list and the bank-detail labels belong to the language, not the template.
const LABELS: Record<SupportedLocale, LocaleLabels> = {
  en: {
    colon: ': ',
    accountHolder: 'Account holder',
    iban: 'IBAN',
    bic: 'BIC/SWIFT',
    bankName: 'Bank',
    invoiceLine: ({ number, dueDate, status, balance, total }) =>
      `- Invoice ${number}, due ${dueDate} (${status}): ${balance} outstanding${total ? ` (invoice total ${total})` : ''}`,
    dueToday: 'due today',
    dueIn: (days) => `due in ${days} ${days === 1 ? 'day' : 'days'}`,
    overdueBy: (days) => `${days} ${days === 1 ? 'day' : 'days'} overdue`,
    severalDueSoon: 'due soon',
    severalOverdue: 'overdue',
    severalMixed: 'partly overdue',
  },
  pl: {
    colon: ': ',
    accountHolder: 'Odbiorca',
    iban: 'Numer rachunku (IBAN)',
    bic: 'BIC/SWIFT',
    bankName: 'Bank',
    invoiceLine: ({ number, dueDate, status, balance, total }) =>
      `- Faktura ${number}, termin płatności ${dueDate} (${status}): do zapłaty ${balance}${total ? ` (wartość faktury ${total})` : ''}`,
    dueToday: 'termin płatności dzisiaj',
    dueIn: (days) => `termin płatności za ${days} ${days === 1 ? 'dzień' : 'dni'}`,
    overdueBy: (days) => `${days} ${days === 1 ? 'dzień' : 'dni'} po terminie`,
    severalDueSoon: 'zbliża się termin płatności',
    severalOverdue: 'po terminie płatności',
    severalMixed: 'częściowo po terminie',
  },
  de: {
    colon: ': ',
    accountHolder: 'Kontoinhaber',
    iban: 'IBAN',
    bic: 'BIC',
    bankName: 'Bank',
    invoiceLine: ({ number, dueDate, status, balance, total }) =>
      `- Rechnung ${number}, fällig am ${dueDate} (${status}): offen ${balance}${total ? ` (Rechnungsbetrag ${total})` : ''}`,
    dueToday: 'heute fällig',
    dueIn: (days) => `fällig in ${days} ${days === 1 ? 'Tag' : 'Tagen'}`,
    overdueBy: (days) => `${days} ${days === 1 ? 'Tag' : 'Tage'} überfällig`,
    severalDueSoon: 'bald fällig',
    severalOverdue: 'überfällig',
    severalMixed: 'teilweise überfällig',
  },
  fr: {
    colon: ' : ',
    accountHolder: 'Titulaire du compte',
    iban: 'IBAN',
    bic: 'BIC',
    bankName: 'Banque',
    invoiceLine: ({ number, dueDate, status, balance, total }) =>
      `- Facture ${number}, échéance le ${dueDate} (${status}) : reste dû ${balance}${total ? ` (montant de la facture ${total})` : ''}`,
    dueToday: "à échéance aujourd'hui",
    dueIn: (days) => `à échéance dans ${days} ${days === 1 ? 'jour' : 'jours'}`,
    overdueBy: (days) => `en retard de ${days} ${days === 1 ? 'jour' : 'jours'}`,
    severalDueSoon: 'bientôt à échéance',
    severalOverdue: 'en retard de paiement',
    severalMixed: 'en partie échues',
  },
};

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** A calendar day in the locale's long format: `5 stycznia 2025`, `5. Januar 2025`, `January 5, 2025`. */
export function formatLongDate(date: string, locale: string): string {
  if (!isValidDate(date)) {
    throw new DomainError('invalid_date', `Expected a calendar date YYYY-MM-DD, got ${JSON.stringify(date)}`);
  }
  let formatter = dateFormatters.get(locale);
  if (!formatter) {
    // Read in UTC because the string is already the customer's calendar day.
    formatter = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    dateFormatters.set(locale, formatter);
  }
  const [year, month, day] = date.split('-').map(Number);
  return formatter.format(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
}

/** Where one invoice stands on `today`: due in N days, due today, or N days overdue. */
function dueStatusOf(dueDate: string, today: string, labels: LocaleLabels): string {
  const days = daysBetween(today, dueDate);
  if (days === 0) return labels.dueToday;
  return days > 0 ? labels.dueIn(days) : labels.overdueBy(-days);
}

/**
 * A status that is true of every invoice in the message: the one invoice's own, the shared one when
 * all stand alike, else a neutral word. A merged message never claims "due today" for an invoice
 * that is overdue, nor for a reminder that goes out a day late.
 */
function collectiveDueStatus(
  invoices: readonly TemplateInvoice[],
  today: string,
  labels: LocaleLabels,
): string {
  const statuses = [...new Set(invoices.map((invoice) => dueStatusOf(invoice.dueDate, today, labels)))];
  if (statuses.length === 1 && statuses[0] !== undefined) return statuses[0];
  // Due today counts as not yet late: "due soon" is true of it, "overdue" is not.
  const late = new Set(invoices.map((invoice) => daysBetween(today, invoice.dueDate) < 0));
  if (late.size > 1) return labels.severalMixed;
  return late.has(true) ? labels.severalOverdue : labels.severalDueSoon;
}

/** Amounts in several currencies cannot be added; they are listed side by side. */
function formatTotals(amounts: readonly Money[], locale: string): string {
  return sumByCurrency(amounts)
    .map((money) => formatMoney(money, locale))
    .join(' + ');
}

function groupIban(iban: string): string {
  return iban
    .replace(/\s+/g, '')
    .toUpperCase()
    .replace(/(.{4})(?=.)/g, '$1 ');
}

function present(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * The values for every template variable that the input can fill, formatted for the customer's
 * locale. Variables without data (no VAT number, no charges) are left out, so a template that needs
 * them fails to render instead of printing a blank.
 */
export function buildTemplateValues(input: TemplateValuesInput): Record<string, string> {
  const { locale, organization, customer, signatory, invoices } = input;
  const first = invoices[0];
  if (!first) throw new DomainError('invalid_input', 'A message needs at least one invoice');
  const labels = LABELS[resolveLocale(locale)];
  const money = (amountMinor: number, currency: string) => formatMoney({ amountMinor, currency }, locale);

  const values: Record<string, string> = {};
  const set = (name: TemplateVariable, value: string | null | undefined) => {
    if (present(value)) values[name] = value;
  };

  set('customer.name', customer.name);
  set('customer.code', customer.code);
  set('customer.address', customer.addressLines?.filter(present).join('\n'));
  set('customer.vatNumber', customer.vatNumber);

  set('company.name', organization.name);
  set('company.address', organization.addressLines.filter(present).join('\n'));
  set('company.city', organization.city);
  set('company.vatNumber', organization.vatNumber);
  set('company.registrationNumber', organization.registrationNumber);
  set('company.logoUrl', organization.logoUrl);
  const bank = organization.bank;
  // Without an account number there is nothing to transfer to, so the holder or bank name alone is no
  // bank details at all.
  if (bank && present(bank.iban)) {
    const rows: [string, string | null | undefined][] = [
      [labels.accountHolder, bank.accountHolder ?? organization.name],
      [labels.iban, groupIban(bank.iban)],
      [labels.bic, bank.bic],
      [labels.bankName, bank.bankName],
    ];
    set(
      'company.bankDetails',
      rows
        .flatMap(([label, value]) => (present(value) ? [`${label}${labels.colon}${value}`] : []))
        .join('\n'),
    );
  }

  const numbers = invoices.map((invoice) => invoice.number).join(', ');
  set('invoice.number', numbers);
  set('invoice.numbers', numbers);
  set(
    'invoice.amount',
    formatTotals(
      invoices.map((invoice) => ({ amountMinor: invoice.totalMinor, currency: invoice.currency })),
      locale,
    ),
  );
  set(
    'invoice.balance',
    formatTotals(
      invoices.map((invoice) => ({ amountMinor: invoice.balanceMinor, currency: invoice.currency })),
      locale,
    ),
  );
  // YYYY-MM-DD strings sort in date order.
  const earliestDue = invoices.map((invoice) => invoice.dueDate).sort()[0] ?? first.dueDate;
  set('invoice.dueDate', formatLongDate(earliestDue, locale));
  set('invoice.daysOverdue', String(daysOverdue(earliestDue, input.today)));
  set('invoice.dueStatus', collectiveDueStatus(invoices, input.today, labels));
  set(
    'invoice.list',
    invoices
      .map((invoice) =>
        labels.invoiceLine({
          number: invoice.number,
          dueDate: formatLongDate(invoice.dueDate, locale),
          status: dueStatusOf(invoice.dueDate, input.today, labels),
          balance: money(invoice.balanceMinor, invoice.currency),
          ...(invoice.balanceMinor === invoice.totalMinor
            ? {}
            : { total: money(invoice.totalMinor, invoice.currency) }),
        }),
      )
      .join('\n'),
  );

  const overdue = (input.customerInvoices ?? invoices).filter(
    (invoice) => invoice.dueDate < input.today && invoice.balanceMinor > 0,
  );
  set(
    'customer.totalOverdue',
    overdue.length === 0
      ? money(0, first.currency)
      : formatTotals(
          overdue.map((invoice) => ({ amountMinor: invoice.balanceMinor, currency: invoice.currency })),
          locale,
        ),
  );

  set('today', formatLongDate(input.today, locale));
  set('signatory.name', signatory.name);
  set('signatory.email', signatory.email);
  set('signatory.phone', signatory.phone);
  set('portal.url', input.portalUrl);

  if (input.charges) {
    const { interest, compensation } = input.charges;
    set('charges.interest', formatMoney(interest, locale));
    if (compensation) set('charges.compensation', formatMoney(compensation, locale));
    set('charges.total', formatTotals(compensation ? [interest, compensation] : [interest], locale));
    if ('rule' in input.charges) {
      set('charges.rule', lateChargesRuleName(input.charges.rule, locale));
      set('charges.calculation', describeLateCharges(input.charges, locale));
    }
  }
  if (input.promiseDate) set('promise.date', formatLongDate(input.promiseDate, locale));

  return values;
}
