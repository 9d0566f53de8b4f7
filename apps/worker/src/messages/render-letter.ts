import { createRequire } from 'node:module';
import type { LetterInput } from '@settle/core';
import PDFDocument from 'pdfkit';

const require = createRequire(import.meta.url);
// The PDF standard fonts cannot print Polish, German or French letters outside Latin-1 (ł, ż, œ…):
// embed DejaVu, which covers them all.
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

/** A formal letter as an A4 PDF: sender block, recipient block, date, subject, body. */
export function renderLetterPdf(letter: LetterInput): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: letter.subject, Author: letter.sender.name },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.registerFont('regular', FONT_REGULAR);
    doc.registerFont('bold', FONT_BOLD);

    doc.font('bold').fontSize(11).text(letter.sender.name);
    doc.font('regular').fontSize(9).text(letter.sender.addressLines.join('\n'));
    doc.moveDown(2);
    doc.fontSize(11).text(letter.recipientLines.join('\n'), { width: 260 });
    doc.moveDown(2);
    doc.text(letter.dateLine, { align: 'right' });
    doc.moveDown(1.5);
    doc.font('bold').text(letter.subject);
    doc.moveDown();
    doc.font('regular').fontSize(10.5).text(letter.text, { align: 'left', lineGap: 2 });
    doc.end();
  });
}
