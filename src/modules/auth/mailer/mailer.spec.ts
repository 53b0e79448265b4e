import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '#config/app-config.js';
import { createMailer, OutboxMailer, SmtpMailer } from './mailer.js';

describe('mailer', () => {
  it('uses SMTP when SMTP_URL is set, else the outbox directory', () => {
    const base = { NODE_ENV: 'test', VAR_DIR: '/tmp' };
    expect(
      createMailer(loadConfig({ ...base, SMTP_URL: 'smtp://mail.example:2525' })),
    ).toBeInstanceOf(SmtpMailer);
    expect(createMailer(loadConfig(base))).toBeInstanceOf(OutboxMailer);
  });

  it('writes one plain-text .eml per message, with header injection neutralised', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'outbox-')), 'mail');
    const mailer = new OutboxMailer(dir, 'Pathavana <no-reply@pathavana.local>');
    const link = `https://app.example/verify-email?token=${'a'.repeat(120)}`;
    await mailer.send({
      to: 'ada@example.com',
      subject: 'Hi\r\nBcc: evil@example.com',
      text: link,
    });
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    const eml = readFileSync(join(dir, files[0] as string), 'utf8');
    expect(eml).toContain('\r\nTo: ada@example.com\r\n');
    expect(eml).toContain('Subject: Hi Bcc: evil@example.com\r\n');
    expect(eml).not.toMatch(/^Bcc:/m);
    expect(eml).toContain(link);
  });
});
