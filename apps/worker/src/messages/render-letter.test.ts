import { describe, expect, it } from 'vitest';
import { renderLetterPdf } from './render-letter';

describe('renderLetterPdf', () => {
  it('produces an A4 PDF with an embedded font that covers Polish letters', async () => {
    const pdf = await renderLetterPdf({
      sender: {
        name: 'Nordwind Trading Sp. z o.o.',
        addressLines: ['ul. Marszałkowska 84/92', '00-514 Warszawa'],
      },
      recipientLines: ['Zielona Dolina S.A.', 'ul. Łąkowa 5', '60-001 Poznań'],
      dateLine: 'Warszawa, 23 listopada 2026',
      subject: 'Ostateczne wezwanie do zapłaty',
      text: 'Szanowni Państwo,\n\nmimo wcześniejszych przypomnień należność pozostaje nieuregulowana.',
    });
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw).toContain('/MediaBox [0 0 595.28 841.89]');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans/);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
  });
});
