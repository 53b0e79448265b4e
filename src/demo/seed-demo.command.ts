import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CONSENT_DECIDER, type ConsentDecider } from '#libs/common/auth/consent-decider.js';
import { CliCommand, type CliArgs, type CliCommandHandler } from '#libs/common/cli/cli-command.js';
import { CONSENT_RECORDER, type ConsentRecorder } from '#libs/common/compliance-ports.js';
import { UsersCreateCommand } from '#modules/auth/cli/users-create.command.js';
import { SessionsService } from '#modules/sessions/sessions.service.js';
import { TravelersService } from '#modules/travelers/travelers.service.js';

const DEMO_EMAIL = 'demo@pathavana.test';
const DEMO_PURPOSES = ['travel_planning', 'travel_documents', 'travel_booking'] as const;

/**
 * `npm run cli -- seed:demo [--password P]`: a demo traveller with consents, two travelers and a
 * planning session, through the same services the API uses. Idempotent: a second run reports
 * that the demo account exists and changes nothing.
 */
@Injectable()
@CliCommand({
  name: 'seed:demo',
  description: `Create the demo account ${DEMO_EMAIL} with travelers and a planning session`,
  usage: '[--password P]',
})
export class SeedDemoCommand implements CliCommandHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly users: UsersCreateCommand,
    private readonly travelers: TravelersService,
    private readonly sessions: SessionsService,
    @Inject(CONSENT_RECORDER) private readonly consents: ConsentRecorder,
    @Inject(CONSENT_DECIDER) private readonly decider: ConsentDecider,
  ) {}

  async run(args: CliArgs): Promise<string> {
    const password = typeof args.password === 'string' ? args.password : 'demo-traveller-2026';
    const existing = await this.userId();
    if (existing)
      return `Demo account ${DEMO_EMAIL} already exists (${existing}); nothing changed.`;
    await this.users.run({ email: DEMO_EMAIL, password, role: 'user', name: 'Demo Traveller' });
    const userId = (await this.userId()) as string;
    for (const purpose of DEMO_PURPOSES) {
      const { currentVersion } = await this.decider.decide(userId, purpose);
      if (currentVersion === null) continue;
      await this.consents.record({
        subjectId: userId,
        purpose,
        version: currentVersion,
        granted: true,
        source: 'api',
        userAgent: 'seed:demo',
      });
    }
    await this.travelers.create(userId, {
      firstName: 'Demo',
      lastName: 'Traveller',
      dateOfBirth: '1988-05-14',
      nationality: 'DE',
      relationshipToUser: 'self',
      isPrimary: true,
    });
    await this.travelers.create(userId, {
      firstName: 'Alex',
      lastName: 'Traveller',
      dateOfBirth: '1990-09-02',
      relationshipToUser: 'spouse',
    });
    const session = await this.sessions.create(userId, {
      title: 'Long weekend in Lisbon',
      message: 'Three days in Lisbon in May for two, mid-range hotel, good food.',
    });
    return [
      `Demo account ${DEMO_EMAIL} (password: ${password === args.password ? 'as given' : password})`,
      `  user ${userId}, 2 travelers, planning session ${session.id}`,
      `  consents: ${DEMO_PURPOSES.join(', ')}`,
    ].join('\n');
  }

  private async userId(): Promise<string | undefined> {
    const rows = await this.dataSource.query<{ id: string }[]>(
      'SELECT id FROM users WHERE email = $1',
      [DEMO_EMAIL],
    );
    return rows[0]?.id;
  }
}
