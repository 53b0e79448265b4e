import { Inject, Injectable } from '@nestjs/common';
import { MAIL, type MailPort } from '#libs/common/mail-port.js';
import { SUBJECT_DIRECTORY, type SubjectDirectory } from '#libs/common/subject-ports.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import { PeriodicService } from '#libs/common/scheduling/periodic-service.js';
import { type ScheduledRun, ScheduledJobs } from '#libs/common/scheduling/scheduled-jobs.js';
import { PrivacyRequestsRepository } from './privacy-requests.repository.js';

export const DIGEST_JOB = 'compliance.privacy_digest';
const DIGEST_HORIZON_DAYS = 7;

export interface DigestEntry {
  id: string;
  type: string;
  status: string;
  deadline: string;
  overdue: boolean;
}

export interface DigestResult {
  entries: DigestEntry[];
  recipients: number;
}

/**
 * Mails compliance staff the open requests due within 7 days or overdue, once per period across
 * instances (`scheduled_job_runs`). Ids, types, statuses and deadlines only: no subject data.
 */
@Injectable()
export class PrivacyDigestService extends PeriodicService {
  constructor(
    private readonly requests: PrivacyRequestsRepository,
    @InjectConfig() private readonly config: AppConfig,
    private readonly jobs: ScheduledJobs,
    @Inject(SUBJECT_DIRECTORY) private readonly directory: SubjectDirectory,
    @Inject(MAIL) private readonly mail: MailPort,
  ) {
    super('Privacy-request digest');
  }

  protected tickSeconds(): number {
    return Math.min(this.config.PRIVACY_DIGEST_INTERVAL_SECONDS, 3600);
  }

  protected tick(): Promise<unknown> {
    return this.runScheduled();
  }

  /** The scheduled run: only the instance that claims this period sends the digest. */
  runScheduled(now: Date = new Date()): Promise<ScheduledRun<DigestResult>> {
    return this.jobs.runOncePerPeriod(
      DIGEST_JOB,
      this.config.PRIVACY_DIGEST_INTERVAL_SECONDS,
      () => this.send(now),
      now,
    );
  }

  async entries(now: Date): Promise<DigestEntry[]> {
    const rows = await this.requests.openDueWithin(now, DIGEST_HORIZON_DAYS);
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      status: row.status,
      deadline: row.deadline.toISOString(),
      overdue: row.deadline.getTime() < now.getTime(),
    }));
  }

  /** Sends the digest now (nothing when nothing is due). */
  async send(now: Date = new Date()): Promise<DigestResult> {
    const entries = await this.entries(now);
    if (entries.length === 0) return { entries, recipients: 0 };
    const recipients = await this.directory.emailsWithRole('compliance');
    const overdue = entries.filter((entry) => entry.overdue).length;
    const line = (entry: DigestEntry) =>
      `${entry.overdue ? 'OVERDUE ' : 'due     '} ${entry.deadline.slice(0, 10)}  ${entry.type.padEnd(13)} ${entry.status.padEnd(17)} ${entry.id}`;
    const text = [
      `Privacy requests due within ${DIGEST_HORIZON_DAYS} days or overdue, as of ${now.toISOString()}:`,
      '',
      ...entries.map(line),
      '',
      'Open them in the console under "Privacy requests".',
    ].join('\n');
    for (const to of recipients) {
      await this.mail.send({
        to,
        subject: `Privacy requests: ${overdue} overdue, ${entries.length - overdue} due within ${DIGEST_HORIZON_DAYS} days`,
        text,
      });
    }
    this.logger.log(`privacy digest: ${entries.length} requests to ${recipients.length} staff`);
    return { entries, recipients: recipients.length };
  }
}
