import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Outgoing mail through SMTP_URL (nodemailer); without it the forum sends no mail at all. */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly logger = new Logger('Mailer');
  private readonly transport: Transporter | null;

  constructor(private readonly config: AppConfig) {
    this.transport = config.env.SMTP_URL ? createTransport(config.env.SMTP_URL) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(mail: Mail): Promise<void> {
    if (!this.transport) throw new Error('no SMTP_URL: mail is not configured');
    await this.transport.sendMail({ from: this.config.env.MAIL_FROM, ...mail });
  }

  onModuleDestroy(): void {
    this.transport?.close();
    this.logger.debug('mail transport closed');
  }
}
