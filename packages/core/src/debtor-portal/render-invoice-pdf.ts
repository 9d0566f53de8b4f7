import { createRequire } from 'node:module';
import { formatMoney } from '@settle/domain';
import { AppError } from '../errors';
import type { DebtorInvoice } from './get-debtor-invoice';

/** The part of pdfkit's document this renderer uses (pdfkit is loaded at run time, see below). */
interface PdfDoc {
  on(event: 'data', listener: (chunk: Buffer) => void): PdfDoc;
  on(event: 'end', listener: () => void): PdfDoc;
  on(event: 'error', listener: (error: Error) => void): PdfDoc;
  registerFont(name: string, path: string): PdfDoc;
  font(name: string): PdfDoc;
  fontSize(size: number): PdfDoc;
  text(text: string, options?: Record<string, unknown>): PdfDoc;
  text(text: string, x: number, y: number, options?: Record<string, unknown>): PdfDoc;
  moveDown(lines?: number): PdfDoc;
  end(): void;
  y: number;
  page: { width: number; margins: { left: number; right: number } };
}
type PdfDocConstructor = new (options: Record<string, unknown>) => PdfDoc;

const require = createRequire(import.meta.url);

/**
 * pdfkit and the DejaVu fonts (which print ł, ż, ß, œ…) are the worker's letter-rendering
 * dependencies. They are resolved when a PDF is asked for, so a process without them still starts and
 * answers UNAVAILABLE for this one feature instead of failing to load.
 */
function loadPdfkit(): { PDFDocument: PdfDocConstructor; regular: string; bold: string } {
  try {
    const name = 'pdfkit';
    const loaded = require(name) as PdfDocConstructor | { default: PdfDocConstructor };
    const PDFDocument = 'default' in loaded ? loaded.default : loaded;
    return {
      PDFDocument,
      regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
      bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    };
  } catch (cause) {
    throw new AppError('UNAVAILABLE', 'invoice PDFs need pdfkit and dejavu-fonts-ttf', {
      userMessage: 'The PDF of this invoice is not available right now.',
      cause,
    });
  }
}

const LABELS = {
  en: {
    invoice: 'Invoice',
    issued: 'Issue date',
    due: 'Due date',
    billTo: 'Bill to',
    description: 'Description',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    tax: 'Tax',
    amount: 'Amount',
    total: 'Total',
    paid: 'Paid',
    balance: 'Balance due',
    vat: 'VAT',
    payTo: 'Pay by bank transfer to',
    reference: 'Reference',
  },
  pl: {
    invoice: 'Faktura',
    issued: 'Data wystawienia',
    due: 'Termin płatności',
    billTo: 'Nabywca',
    description: 'Opis',
    quantity: 'Ilość',
    unitPrice: 'Cena jedn.',
    tax: 'VAT',
    amount: 'Kwota',
    total: 'Razem',
    paid: 'Zapłacono',
    balance: 'Do zapłaty',
    vat: 'NIP',
    payTo: 'Przelew na rachunek',
    reference: 'Tytuł przelewu',
  },
  de: {
    invoice: 'Rechnung',
    issued: 'Rechnungsdatum',
    due: 'Fällig am',
    billTo: 'Rechnungsempfänger',
    description: 'Beschreibung',
    quantity: 'Menge',
    unitPrice: 'Einzelpreis',
    tax: 'USt.',
    amount: 'Betrag',
    total: 'Gesamt',
    paid: 'Bezahlt',
    balance: 'Offener Betrag',
    vat: 'USt-IdNr.',
    payTo: 'Überweisung an',
    reference: 'Verwendungszweck',
  },
  fr: {
    invoice: 'Facture',
    issued: "Date d'émission",
    due: "Date d'échéance",
    billTo: 'Facturé à',
    description: 'Désignation',
    quantity: 'Qté',
    unitPrice: 'Prix unitaire',
    tax: 'TVA',
    amount: 'Montant',
    total: 'Total',
    paid: 'Payé',
    balance: 'Reste à payer',
    vat: 'N° TVA',
    payTo: 'Virement bancaire à',
    reference: 'Référence',
  },
} as const;

function labelsFor(locale: string) {
  const language = locale.slice(0, 2).toLowerCase();
  return language === 'pl' || language === 'de' || language === 'fr' ? LABELS[language] : LABELS.en;
}

function formatDate(date: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(`${date}T00:00:00Z`),
  );
}

/** Draws the invoice: creditor, customer, dates, lines, totals and the bank details for a transfer. */
export function renderInvoicePdf(data: DebtorInvoice, locale: string): Promise<Buffer> {
  const { PDFDocument, regular, bold } = loadPdfkit();
  const t = labelsFor(locale);
  const money = (amountMinor: number) =>
    formatMoney({ amountMinor, currency: data.invoice.currency }, locale);
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: `${t.invoice} ${data.invoice.number}`, Author: data.creditor.legalName },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('regular', regular);
    doc.registerFont('bold', bold);

    const c = data.creditor;
    doc.font('bold').fontSize(12).text(c.legalName);
    doc.font('regular').fontSize(9).text(c.addressLines.join('\n'));
    if (c.vatNumber) doc.text(`${t.vat}: ${c.vatNumber}`);
    doc.moveDown(1.5);
    doc.font('bold').fontSize(16).text(`${t.invoice} ${data.invoice.number}`);
    doc.font('regular').fontSize(10);
    doc.text(`${t.issued}: ${formatDate(data.invoice.issueDate, locale)}`);
    doc.text(`${t.due}: ${formatDate(data.invoice.dueDate, locale)}`);
    doc.moveDown();
    doc.font('bold').text(t.billTo);
    doc.font('regular').text([data.customer.name, ...data.customer.addressLines].join('\n'));
    if (data.customer.vatNumber) doc.text(`${t.vat}: ${data.customer.vatNumber}`);
    doc.moveDown(1.5);

    const left = doc.page.margins.left;
    const width = doc.page.width - left - doc.page.margins.right;
    const columns = [
      { label: t.description, x: left, w: width * 0.44, align: 'left' },
      { label: t.quantity, x: left + width * 0.44, w: width * 0.1, align: 'right' },
      { label: t.unitPrice, x: left + width * 0.54, w: width * 0.17, align: 'right' },
      { label: t.tax, x: left + width * 0.71, w: width * 0.09, align: 'right' },
      { label: t.amount, x: left + width * 0.8, w: width * 0.2, align: 'right' },
    ] as const;
    const row = (cells: string[], font: 'regular' | 'bold') => {
      const y = doc.y;
      doc.font(font).fontSize(9);
      let bottom = y;
      cells.forEach((cell, i) => {
        const col = columns[i];
        if (!col) return;
        doc.text(cell, col.x, y, { width: col.w - 4, align: col.align });
        bottom = Math.max(bottom, doc.y);
      });
      doc.y = bottom + 4;
    };
    row(
      columns.map((col) => col.label),
      'bold',
    );
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
    for (const line of data.lines) {
      row(
        [
          line.description,
          number.format(line.quantityMilli / 1000),
          money(line.unitPriceMinor),
          `${number.format(line.taxRateBasisPoints / 100)} %`,
          money(line.totalMinor),
        ],
        'regular',
      );
    }
    doc.moveDown();
    const totals: [string, string][] = [
      [t.total, money(data.invoice.totalMinor)],
      [t.paid, money(data.invoice.paidMinor)],
      [t.balance, money(data.invoice.balanceMinor)],
    ];
    for (const [label, value] of totals) {
      const y = doc.y;
      doc.font(label === t.balance ? 'bold' : 'regular').fontSize(10);
      doc.text(label, left + width * 0.5, y, { width: width * 0.3, align: 'right' });
      doc.text(value, left + width * 0.8, y, { width: width * 0.2, align: 'right' });
    }
    if (c.bank.iban) {
      doc.moveDown(2);
      doc.font('bold').fontSize(10).text(t.payTo, left, doc.y);
      doc.font('regular').fontSize(9);
      doc.text(
        [c.bank.holder ?? c.legalName, `IBAN ${c.bank.iban}`, c.bank.bic ? `BIC ${c.bank.bic}` : null]
          .filter((line): line is string => Boolean(line))
          .join('\n'),
      );
      doc.text(`${t.reference}: ${data.invoice.number}`);
    }
    doc.end();
  });
}
