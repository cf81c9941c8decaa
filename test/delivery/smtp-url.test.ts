import { describe, expect, it } from 'vitest';
import { ScsError } from '../../src/core/diagnostic.js';
import { parseSmtpUrl } from '../../src/delivery/smtp-url.js';

const problem = (url: string) => {
  try {
    parseSmtpUrl(url);
  } catch (e) {
    expect(e).toBeInstanceOf(ScsError);
    expect((e as ScsError).exitCode).toBe(2);
    return (e as ScsError).diagnostics[0]!;
  }
  return expect.unreachable(`${url} was accepted`);
};

describe('SCS_SMTP_URL', () => {
  it('reads host, port, TLS mode and percent-encoded credentials', () => {
    expect(parseSmtpUrl('smtp://mail.example.se')).toMatchObject({
      host: 'mail.example.se',
      port: 587,
      secure: false,
      requireTLS: false,
    });
    expect(parseSmtpUrl('smtps://mail.example.se')).toMatchObject({ port: 465, secure: true });
    const s = parseSmtpUrl(
      'smtp://press%40example.se:p%40ss%3Aword@mail.example.se:2525?requireTLS=true&name=sender.example.se',
    );
    expect(s).toMatchObject({
      port: 2525,
      requireTLS: true,
      name: 'sender.example.se',
      auth: { user: 'press@example.se', pass: 'p@ss:word' },
    });
    expect(s.shown).toBe(
      'smtp://press%40example.se:***@mail.example.se:2525?requireTLS=true&name=sender.example.se',
    );
    expect(parseSmtpUrl('smtp://[::1]:25?ignoreTLS=true&rejectUnauthorized=false')).toMatchObject({
      host: '::1',
      ignoreTLS: true,
      rejectUnauthorized: false,
    });
  });

  it('explains what is wrong without echoing the password', () => {
    expect(problem('mail.example.se').message).toContain('is not a URL');
    const http = problem('https://user:secret@mail.example.se');
    expect(http.code).toBe('smtp-url-invalid');
    expect(http.message).toContain('smtp:// or smtps://');
    expect(http.message).not.toContain('secret');
    expect(problem('smtp://mail.example.se?requireTls=true').message).toContain('Did you mean "requireTLS"?');
    expect(problem('smtp://mail.example.se?ignoreTLS=yes').message).toContain('true or false');
    expect(problem('smtp://us%zzer:pw@mail.example.se').message).toContain('percent-encoded');
  });
});
