import { createCookie } from '@remix-run/node';
import { beforeAll, describe, expect, it } from 'vitest';

type SessionModule = typeof import('./debtor-session.server');
let session: SessionModule;

beforeAll(async () => {
  // The portal reads its configuration when its modules load: serve it over HTTPS for these tests.
  process.env.PORTAL_BASE_URL = 'https://portal.example';
  process.env.PORTAL_SESSION_SECRET = 'a-test-secret-that-is-long-enough-1234567890';
  session = await import('./debtor-session.server');
});

const ids = {
  linkId: '00000000-0000-4000-8000-000000000001',
  organizationId: '00000000-0000-4000-8000-000000000002',
  customerId: '00000000-0000-4000-8000-000000000003',
};

async function thrownBy(run: () => Promise<unknown>): Promise<Response> {
  try {
    await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
  throw new Error('expected a thrown response');
}

describe('debtor session cookie', () => {
  it('is HttpOnly, SameSite=Lax, path /, Secure over HTTPS, and lasts at most 12 hours', async () => {
    const header = await session.createDebtorSessionCookie({ ...ids, now: new Date() });
    expect(header).toMatch(/^settle_debtor=/);
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; Secure/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header).toMatch(/; Path=\//);
    expect(header).toMatch(/; Max-Age=43200/);
  });

  it('ignores a cookie signed with another secret, or one older than 12 hours, before any lookup', async () => {
    const forged = await createCookie('settle_debtor', {
      secrets: ['someone-elses-secret-that-is-long-enough'],
    }).serialize({
      v: 1,
      ...ids,
      csrf: 'x',
      iat: Date.now(),
    });
    const response = await thrownBy(() =>
      session.requireDebtor(
        new Request('https://portal.example/p', { headers: { Cookie: forged.split(';')[0] ?? '' } }),
      ),
    );
    expect(response.headers.get('Location')).toBe('/p/signed-out');

    const old = await session.createDebtorSessionCookie({
      ...ids,
      now: new Date(Date.now() - 13 * 3_600_000),
    });
    const expired = await thrownBy(() =>
      session.requireDebtor(
        new Request('https://portal.example/p', { headers: { Cookie: old.split(';')[0] ?? '' } }),
      ),
    );
    expect(expired.headers.get('Location')).toBe('/p/signed-out');
  });

  it('compares CSRF tokens exactly', () => {
    const debtor = { ...ids, locale: 'en' as const, csrfToken: 'abc123' };
    expect(session.isValidCsrf(debtor, 'abc123')).toBe(true);
    expect(session.isValidCsrf(debtor, 'abc124')).toBe(false);
    expect(session.isValidCsrf(debtor, 'abc')).toBe(false);
    expect(session.isValidCsrf(debtor, null)).toBe(false);
  });

  it('switches language only to a supported one and keeps the redirect on this site', async () => {
    const switched = await session.switchLanguage(
      new Request('https://portal.example/p/pay?lang=pl&invoice=1'),
    );
    expect(switched?.headers.get('Location')).toBe('/p/pay?invoice=1');
    expect(switched?.headers.get('Set-Cookie')).toMatch(/^settle_lang=/);
    const unsupported = await session.switchLanguage(new Request('https://portal.example/p?lang=xx'));
    expect(unsupported?.headers.get('Set-Cookie')).toBeNull();
    expect(await session.switchLanguage(new Request('https://portal.example/p'))).toBeNull();
  });
});
