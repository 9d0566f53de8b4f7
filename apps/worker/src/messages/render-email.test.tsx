import { DEFAULT_TEMPLATES } from '@settle/domain';
import { describe, expect, it } from 'vitest';
import { renderEmailHtml } from './render-email';

const organization = {
  name: 'Nordwind Trading',
  logo_url: null,
  address_line1: 'ul. Marszałkowska 84/92',
  postal_code: '00-514',
  city: 'Warszawa',
  sender_email: 'ar@nordwind.example',
};

describe('renderEmailHtml', () => {
  it('keeps every character of every default e-mail template intact (no NUL, no replacement char)', async () => {
    for (const template of DEFAULT_TEMPLATES.filter((t) => t.channel === 'email')) {
      const html = await renderEmailHtml({ subject: template.subject, text: template.body, organization });
      const where = `${template.key}/${template.locale}`;
      expect(html.includes(String.fromCharCode(0)), where).toBe(false);
      expect(html.includes('\uFFFD'), where).toBe(false);
    }
  });

  it('escapes the text, keeps Polish letters and makes links clickable', async () => {
    const html = await renderEmailHtml({
      subject: 'Przypomnienie',
      text: 'Szanowni Państwo <script>,\n\nZapłać tutaj: https://portal.test/p/abc',
      organization,
    });
    expect(html).toContain('Szanowni Państwo &lt;script&gt;,');
    expect(html).toContain('href="https://portal.test/p/abc"');
    expect(html.startsWith('<!DOCTYPE html')).toBe(true);
  });
});
