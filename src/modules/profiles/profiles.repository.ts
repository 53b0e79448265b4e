import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntityTarget } from 'typeorm';
import { TravelPreferencesEntity } from './travel-preferences.entity.js';
import { UserProfileEntity } from './user-profile.entity.js';

type OwnedRow = UserProfileEntity | TravelPreferencesEntity;

/**
 * The SQL of the caller's profile and travel preferences: one row each per user, created on
 * first read or write (INSERT … ON CONFLICT DO NOTHING, so concurrent first calls are safe).
 * Every query is scoped by the owner's user id; the rules live in ProfilesService.
 */
@Injectable()
export class ProfilesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  profileFor(userId: string): Promise<UserProfileEntity> {
    return ensureRow(this.dataSource.manager, UserProfileEntity, userId);
  }

  preferencesFor(userId: string): Promise<TravelPreferencesEntity> {
    return ensureRow(this.dataSource.manager, TravelPreferencesEntity, userId);
  }

  /** Locks the user's profile row, lets `change` edit it (or throw), saves it: one transaction. */
  updateProfile(
    userId: string,
    change: (profile: UserProfileEntity) => void,
  ): Promise<UserProfileEntity> {
    return this.updateLocked(UserProfileEntity, userId, change);
  }

  /** Locks the user's preferences row, lets `change` edit it (or throw), saves it. */
  updatePreferences(
    userId: string,
    change: (preferences: TravelPreferencesEntity) => void,
  ): Promise<TravelPreferencesEntity> {
    return this.updateLocked(TravelPreferencesEntity, userId, change);
  }

  private updateLocked<T extends OwnedRow>(
    entity: EntityTarget<T>,
    userId: string,
    change: (row: T) => void,
  ): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const row = await ensureRow(manager, entity, userId, true);
      change(row);
      return manager.save(row);
    });
  }
}

async function ensureRow<T extends OwnedRow>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  userId: string,
  lock = false,
): Promise<T> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(entity as EntityTarget<{ userId: string }>)
    .values({ userId })
    .orIgnore()
    .execute();
  const query = manager
    .getRepository(entity)
    .createQueryBuilder('p')
    .where('p.userId = :userId', { userId });
  if (lock) query.setLock('pessimistic_write');
  return query.getOneOrFail();
}
