import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Transporter } from 'nodemailer';
import type { AppConfig } from '#config/app-config.js';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** An HTML alternative (multipart/alternative), when given. */
  html?: string;
}

/** The mailer port: SMTP in real deployments, an .eml outbox directory otherwise. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export const MAILER = Symbol('MAILER');

export class SmtpMailer implements Mailer {
  /** nodemailer is loaded with the first message, not at start-up. */
  private transport?: Promise<Transporter>;

  constructor(
    private readonly url: string,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(this.url),
    );
    await (await this.transport).sendMail({ from: this.from, ...message });
  }
}

/** Writes each message as `<timestamp>-<random>.eml` (plain 8-bit text, links unwrapped). */
export class OutboxMailer implements Mailer {
  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const id = `${Date.now()}-${randomBytes(6).toString('hex')}`;
    const clean = (value: string): string => value.replace(/[\r\n]+/g, ' ');
    const headers = [
      `From: ${clean(this.from)}`,
      `To: ${clean(message.to)}`,
      `Subject: ${clean(message.subject)}`,
      `Date: ${new Date().toUTCString()}`,
      `Message-ID: <${id}@pathavana.local>`,
      'MIME-Version: 1.0',
    ];
    const part = (type: string, body: string): string[] => [
      `Content-Type: ${type}; charset=utf-8`,
      'Content-Transfer-Encoding: 8bit',
      '',
      body,
    ];
    const boundary = `alt-${id}`;
    const eml = (
      message.html === undefined
        ? [...headers, ...part('text/plain', message.text), '']
        : [
            ...headers,
            `Content-Type: multipart/alternative; boundary="${boundary}"`,
            '',
            `--${boundary}`,
            ...part('text/plain', message.text),
            `--${boundary}`,
            ...part('text/html', message.html),
            `--${boundary}--`,
            '',
          ]
    ).join('\r\n');
    await writeFile(join(this.dir, `${id}.eml`), eml, { mode: 0o600 });
  }
}

export function createMailer(config: AppConfig): Mailer {
  if (config.SMTP_URL) return new SmtpMailer(config.SMTP_URL, config.MAIL_FROM);
  return new OutboxMailer(
    resolve(config.MAIL_OUTBOX_DIR ?? join(config.VAR_DIR, 'mail')),
    config.MAIL_FROM,
  );
}
