import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { EntityManager } from 'typeorm';
import {
  CONSENT_RECORDER,
  type ConsentRecorder,
  GUARDIAN_CONSENTS,
  type GuardianConsents,
} from '#libs/common/compliance-ports.js';
import { createBookingUser, hotelBookingBody } from '../factories/bookings.js';
import { currentNoticeVersion } from '../factories/consents.js';
import { createTraveler, grantGuardianConsent, yearsAgo } from '../factories/travelers.js';
import { createTestApp, type TestApp } from '../utils/test-app.js';

const PURPOSE = 'travel_booking';

/**
 * Guardian consent while booking: every minor's consent is read in ONE query, and the re-check
 * inside the booking transaction reads on that transaction's connection.
 */
describe('bookings: guardian consents are read batched, on the booking transaction', () => {
  let ctx: TestApp;
  let port: GuardianConsents;
  let recorder: ConsentRecorder;

  beforeAll(async () => {
    ctx = await createTestApp();
    port = ctx.app.get<GuardianConsents>(GUARDIAN_CONSENTS);
    recorder = ctx.app.get<ConsentRecorder>(CONSENT_RECORDER);
  });

  afterAll(async () => {
    await ctx.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('a booking with three minors asks the port once per check, with all of them, never one by one', async () => {
    const { user, traveler: adult } = await createBookingUser(ctx);
    const minors: string[] = [];
    for (const name of ['Leo', 'Mia', 'Noa']) {
      const minor = await createTraveler(ctx, user, { firstName: name, dateOfBirth: yearsAgo(8) });
      await grantGuardianConsent(ctx, user, minor);
      minors.push(minor);
    }
    const single = jest.spyOn(port, 'decide');
    const calls: { travelerIds: string[]; inTransaction: boolean }[] = [];
    const original = port.decideMany.bind(port);
    jest
      .spyOn(port, 'decideMany')
      .mockImplementation((guardianId, travelerIds, purpose, manager?: EntityManager) => {
        calls.push({
          travelerIds: [...travelerIds].sort(),
          inTransaction: manager?.queryRunner?.isTransactionActive === true,
        });
        return original(guardianId, travelerIds, purpose, manager);
      });

    const response = await ctx
      .http()
      .post('/api/v1/bookings')
      .set(user.authHeader)
      .set('Idempotency-Key', randomUUID())
      .send(hotelBookingBody([adult, ...minors]));

    expect(response.status).toBe(201);
    expect(single).not.toHaveBeenCalled();
    // The check before the provider call, then the re-check inside the booking transaction.
    expect(calls).toEqual([
      { travelerIds: [...minors].sort(), inTransaction: false },
      { travelerIds: [...minors].sort(), inTransaction: true },
    ]);
  });

  it('decideMany answers every traveler in one query, on the given transaction’s connection', async () => {
    const guardian = randomUUID();
    const [granted, alsoGranted, withdrawn, never] = [
      randomUUID(),
      randomUUID(),
      randomUUID(),
      randomUUID(),
    ];
    const version = await currentNoticeVersion(ctx, PURPOSE);
    const decide = (travelerId: string, isGranted: boolean, manager?: EntityManager) =>
      recorder.record(
        {
          subjectId: guardian,
          travelerId,
          purpose: PURPOSE,
          version,
          granted: isGranted,
          source: 'guardian',
        },
        manager,
      );
    await decide(granted, true);
    await decide(withdrawn, true);
    await decide(withdrawn, false);

    await ctx.dataSource.transaction(async (manager) => {
      // Not committed: only a read on this transaction's connection sees it.
      await decide(alsoGranted, true, manager);
      const queries = jest.spyOn(manager, 'query');
      const decisions = await port.decideMany(
        guardian,
        [granted, alsoGranted, withdrawn, never],
        PURPOSE,
        manager,
      );
      expect(queries).toHaveBeenCalledTimes(1);
      expect(
        Object.fromEntries([...decisions].map(([id, decision]) => [id, decision.granted])),
      ).toEqual({ [granted]: true, [alsoGranted]: true, [withdrawn]: false, [never]: false });
      expect(decisions.get(granted)).toMatchObject({ purpose: PURPOSE, currentVersion: version });

      // The same question outside the transaction does not see the uncommitted grant.
      const outside = await port.decideMany(guardian, [alsoGranted], PURPOSE);
      expect(outside.get(alsoGranted)?.granted).toBe(false);
    });
    expect(
      (await port.decideMany(guardian, [alsoGranted], PURPOSE)).get(alsoGranted)?.granted,
    ).toBe(true);
    expect(await port.decideMany(guardian, [], PURPOSE)).toEqual(new Map());
  });
});
