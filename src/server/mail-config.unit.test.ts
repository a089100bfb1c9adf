import { describe, expect, it } from 'vitest';
import { parseMailConfig } from './config.js';

describe('MAIL_SMTP_* (the relay of scheduled reports)', () => {
  it('is off without MAIL_SMTP_HOST', () => {
    expect(parseMailConfig({})).toBeUndefined();
  });
  it('defaults the port by MAIL_SMTP_SECURE and keeps the login', () => {
    expect(parseMailConfig({ MAIL_SMTP_HOST: 'smtp.empresa', MAIL_FROM: 'Mirante <r@empresa.com.br>' })).toEqual({
      host: 'smtp.empresa', port: 587, secure: false, user: undefined, password: undefined, from: 'Mirante <r@empresa.com.br>',
    });
    expect(parseMailConfig({ MAIL_SMTP_HOST: 'smtp.empresa', MAIL_SMTP_SECURE: 'true', MAIL_SMTP_USER: 'u', MAIL_SMTP_PASSWORD: 'p', MAIL_FROM: 'r@e.com' }))
      .toMatchObject({ port: 465, secure: true, user: 'u', password: 'p' });
  });
  it('refuses a bad port and a missing MAIL_FROM', () => {
    expect(() => parseMailConfig({ MAIL_SMTP_HOST: 'h', MAIL_SMTP_PORT: 'x', MAIL_FROM: 'a@b.c' })).toThrow(/MAIL_SMTP_PORT/);
    expect(() => parseMailConfig({ MAIL_SMTP_HOST: 'h' })).toThrow(/MAIL_FROM/);
  });
});
