import { describe, expect, it } from 'vitest';
import { resolveLocale, supportedLocale } from './locales';
import { translator } from './messages';

describe('portal languages', () => {
  it('maps locales and Accept-Language headers to a supported language, else English', () => {
    expect(supportedLocale('de-AT')).toBe('de');
    expect(supportedLocale('PL')).toBe('pl');
    expect(supportedLocale('es')).toBeNull();
    expect(resolveLocale('es-ES,fr;q=0.8,en;q=0.5')).toBe('fr');
    expect(resolveLocale(null)).toBe('en');
    expect(resolveLocale('it')).toBe('en');
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    const t = translator('de');
    expect(t('invoiceTitle', { number: 'NW/1' })).toBe('Rechnung NW/1');
    expect(t('promiseIntro', {})).toContain('{days}');
  });
});
