import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import type { TravelerStatus } from '../traveler.entity.js';
import { ManagedRepository } from '#libs/database/managed-repository.js';

export interface GroupRow {
  id: string;
  name: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface MemberRow {
  groupId: string;
  travelerId: string;
  firstName: string;
  middleName: string | null;
  lastName: string;
  status: TravelerStatus;
  addedAt: Date;
}

interface RawGroup {
  id: string;
  name: string;
  created_at: Date;
  updated_at: Date;
}

interface RawMember {
  group_id: string;
  traveler_id: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  status: TravelerStatus;
  added_at: Date;
}

const GROUP_COLUMNS = 'g.id, g.name, g.created_at, g.updated_at';

const toGroup = (row: RawGroup): GroupRow => ({
  id: row.id,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toMember = (row: RawMember): MemberRow => ({
  groupId: row.group_id,
  travelerId: row.traveler_id,
  firstName: row.first_name,
  middleName: row.middle_name,
  lastName: row.last_name,
  status: row.status,
  addedAt: row.added_at,
});

/**
 * The SQL of traveler groups. Every statement takes the owner id: another user's group (or a
 * member that is another user's traveler) is simply not found.
 */
@Injectable()
export class TravelerGroupsRepository extends ManagedRepository {
  constructor(@InjectEntityManager() manager: EntityManager) {
    super(manager);
  }

  async insert(userId: string, name: string, manager: EntityManager): Promise<GroupRow> {
    const rows = (await manager.query(
      `INSERT INTO traveler_groups AS g (user_id, name) VALUES ($1, $2) RETURNING ${GROUP_COLUMNS}`,
      [userId, name],
    )) as RawGroup[];
    return toGroup(rows[0] as RawGroup);
  }

  /** The owner's groups by name (served by uq_traveler_groups_user_id_name). */
  async list(userId: string): Promise<GroupRow[]> {
    const rows = (await this.manager.query(
      `SELECT ${GROUP_COLUMNS} FROM traveler_groups g WHERE g.user_id = $1 ORDER BY g.name, g.id`,
      [userId],
    )) as RawGroup[];
    return rows.map(toGroup);
  }

  async findOwned(
    userId: string,
    groupId: string,
    manager: EntityManager = this.manager,
  ): Promise<GroupRow | null> {
    const rows = (await manager.query(
      `SELECT ${GROUP_COLUMNS} FROM traveler_groups g WHERE g.id = $1 AND g.user_id = $2`,
      [groupId, userId],
    )) as RawGroup[];
    return rows[0] ? toGroup(rows[0]) : null;
  }

  async rename(userId: string, groupId: string, name: string): Promise<GroupRow | null> {
    const [rows] = (await this.manager.query(
      `UPDATE traveler_groups g SET name = $3, updated_at = now()
        WHERE g.id = $1 AND g.user_id = $2 RETURNING ${GROUP_COLUMNS}`,
      [groupId, userId, name],
    )) as [RawGroup[], number];
    return rows[0] ? toGroup(rows[0]) : null;
  }

  /** Deletes the group (its memberships cascade); false when it is not the owner's. */
  async delete(userId: string, groupId: string): Promise<boolean> {
    const [, count] = (await this.manager.query(
      `DELETE FROM traveler_groups WHERE id = $1 AND user_id = $2`,
      [groupId, userId],
    )) as [unknown[], number];
    return count > 0;
  }

  /**
   * Adds travelers to the owner's group; only the owner's travelers are inserted (the join
   * checks both owners in the statement). Adding a member twice is a no-op. Bumps updated_at.
   */
  async addMembers(
    userId: string,
    groupId: string,
    travelerIds: readonly string[],
    manager: EntityManager = this.manager,
  ): Promise<void> {
    if (travelerIds.length === 0) return;
    // added_at orders the members; travelers added together keep the order they were given in
    // (one microsecond apart within the statement's transaction time).
    await manager.query(
      `INSERT INTO traveler_group_members (group_id, traveler_id, added_at)
       SELECT g.id, t.id, now() + (given.position - 1) * interval '1 microsecond'
         FROM traveler_groups g
         JOIN unnest($3::uuid[]) WITH ORDINALITY AS given(traveler_id, position) ON true
         JOIN travelers t ON t.id = given.traveler_id AND t.user_id = g.user_id
        WHERE g.id = $1 AND g.user_id = $2
       ON CONFLICT ON CONSTRAINT pk_traveler_group_members DO NOTHING`,
      [groupId, userId, travelerIds],
    );
    await this.touch(userId, groupId, manager);
  }

  async removeMember(userId: string, groupId: string, travelerId: string): Promise<void> {
    await this.manager.query(
      `DELETE FROM traveler_group_members m USING traveler_groups g
        WHERE m.group_id = g.id AND g.id = $1 AND g.user_id = $2 AND m.traveler_id = $3`,
      [groupId, userId, travelerId],
    );
    await this.touch(userId, groupId, this.manager);
  }

  /** Members of the owner's groups, archived ones included (callers decide), by name. */
  async members(
    userId: string,
    groupIds: readonly string[],
    manager: EntityManager = this.manager,
  ): Promise<MemberRow[]> {
    if (groupIds.length === 0) return [];
    const rows = (await manager.query(
      `SELECT m.group_id, m.traveler_id, t.first_name, t.middle_name, t.last_name, t.status,
              m.added_at
         FROM traveler_group_members m
         JOIN traveler_groups g ON g.id = m.group_id
         JOIN travelers t ON t.id = m.traveler_id AND t.user_id = g.user_id
        WHERE g.user_id = $1 AND m.group_id = ANY($2::uuid[])
        ORDER BY m.group_id, m.added_at, m.traveler_id`,
      [userId, groupIds],
    )) as RawMember[];
    return rows.map(toMember);
  }

  /** Locks the owner's group row for a membership change (serialises the member cap). */
  async lockOwned(userId: string, groupId: string, manager: EntityManager): Promise<boolean> {
    const rows = (await manager.query(
      `SELECT id FROM traveler_groups WHERE id = $1 AND user_id = $2 FOR UPDATE`,
      [groupId, userId],
    )) as { id: string }[];
    return rows.length > 0;
  }

  async memberCount(groupId: string, manager: EntityManager): Promise<number> {
    const rows = (await manager.query(
      `SELECT count(*)::int AS count FROM traveler_group_members WHERE group_id = $1`,
      [groupId],
    )) as { count: number }[];
    return rows[0]?.count ?? 0;
  }

  /** Status of each of the owner's travelers among `travelerIds` (others are absent). */
  async travelerStatuses(
    userId: string,
    travelerIds: readonly string[],
    manager: EntityManager = this.manager,
  ): Promise<Map<string, TravelerStatus>> {
    if (travelerIds.length === 0) return new Map();
    const rows = (await manager.query(
      `SELECT id, status FROM travelers WHERE user_id = $1 AND id = ANY($2::uuid[])`,
      [userId, travelerIds],
    )) as { id: string; status: TravelerStatus }[];
    return new Map(rows.map((row) => [row.id, row.status]));
  }

  private async touch(userId: string, groupId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE traveler_groups SET updated_at = now() WHERE id = $1 AND user_id = $2`,
      [groupId, userId],
    );
  }
}
