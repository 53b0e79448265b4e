import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import {
  notFound,
  ProblemException,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import { fullNameOf } from '../travelers.mappers.js';
import {
  MAX_GROUP_MEMBERS,
  type CreateTravelerGroupDto,
  type TravelerGroupListDto,
  type TravelerGroupResponseDto,
  type UpdateTravelerGroupDto,
} from './traveler-group.dto.js';
import {
  TravelerGroupsRepository,
  type GroupRow,
  type MemberRow,
} from './traveler-groups.repository.js';

registerConstraint(
  'uq_traveler_groups_user_id_name',
  409,
  'TRAVELER_GROUP_NAME_TAKEN',
  'You already have a traveler group with this name.',
);

export const travelerGroupNotFound = (): ProblemException =>
  notFound('TRAVELER_GROUP_NOT_FOUND', 'No such traveler group on your account.');

const travelerNotFound = (): ProblemException =>
  notFound('TRAVELER_NOT_FOUND', 'No such traveler on your account.');

/** Only active travelers are a group's bookable members (archived and inactive ones stay listed). */
export const isBookableMember = (member: Pick<MemberRow, 'status'>): boolean =>
  member.status === 'active';

function toGroupDto(group: GroupRow, members: readonly MemberRow[]): TravelerGroupResponseDto {
  return {
    id: group.id,
    name: group.name,
    members: members.map((member) => ({
      travelerId: member.travelerId,
      fullName: fullNameOf(member),
      status: member.status,
      bookable: isBookableMember(member),
      addedAt: member.addedAt.toISOString(),
    })),
    createdAt: group.createdAt.toISOString(),
    updatedAt: group.updatedAt.toISOString(),
  };
}

/**
 * A user's named groups of travelers. Membership changes lock the group row so the member cap
 * holds under concurrent requests; every query is owner-scoped (another user's group → 404).
 */
@Injectable()
export class TravelerGroupsService {
  constructor(private readonly groups: TravelerGroupsRepository) {}

  async create(userId: string, dto: CreateTravelerGroupDto): Promise<TravelerGroupResponseDto> {
    const travelerIds = dto.travelerIds ?? [];
    const group = await this.groups.transaction(async (_, manager) => {
      await this.assertAddable(userId, travelerIds, manager);
      const inserted = await this.groups.insert(userId, dto.name, manager);
      await this.groups.addMembers(userId, inserted.id, travelerIds, manager);
      return inserted;
    });
    return this.get(userId, group.id);
  }

  async list(userId: string): Promise<TravelerGroupListDto> {
    const groups = await this.groups.list(userId);
    const members = await this.groups.members(
      userId,
      groups.map((group) => group.id),
    );
    const byGroup = new Map<string, MemberRow[]>();
    for (const member of members) {
      byGroup.set(member.groupId, [...(byGroup.get(member.groupId) ?? []), member]);
    }
    return { items: groups.map((group) => toGroupDto(group, byGroup.get(group.id) ?? [])) };
  }

  async get(userId: string, groupId: string): Promise<TravelerGroupResponseDto> {
    const group = await this.groups.findOwned(userId, groupId);
    if (!group) throw travelerGroupNotFound();
    return toGroupDto(group, await this.groups.members(userId, [groupId]));
  }

  async rename(
    userId: string,
    groupId: string,
    dto: UpdateTravelerGroupDto,
  ): Promise<TravelerGroupResponseDto> {
    const group = await this.groups.rename(userId, groupId, dto.name);
    if (!group) throw travelerGroupNotFound();
    return this.get(userId, groupId);
  }

  async delete(userId: string, groupId: string): Promise<void> {
    if (!(await this.groups.delete(userId, groupId))) throw travelerGroupNotFound();
  }

  /** Idempotent: adding a member twice answers the same group. */
  async addMember(
    userId: string,
    groupId: string,
    travelerId: string,
  ): Promise<TravelerGroupResponseDto> {
    await this.groups.transaction(async (_, manager) => {
      if (!(await this.groups.lockOwned(userId, groupId, manager))) throw travelerGroupNotFound();
      await this.assertAddable(userId, [travelerId], manager);
      const existing = await this.groups.members(userId, [groupId], manager);
      if (existing.some((member) => member.travelerId === travelerId)) return;
      if (existing.length >= MAX_GROUP_MEMBERS) {
        throw unprocessable(
          'TRAVELER_GROUP_FULL',
          `A traveler group holds at most ${MAX_GROUP_MEMBERS} travelers.`,
        );
      }
      await this.groups.addMembers(userId, groupId, [travelerId], manager);
    });
    return this.get(userId, groupId);
  }

  /** Idempotent for the owner's traveler; another user's group or traveler → 404. */
  async removeMember(userId: string, groupId: string, travelerId: string): Promise<void> {
    if (!(await this.groups.findOwned(userId, groupId))) throw travelerGroupNotFound();
    if (!(await this.groups.travelerStatuses(userId, [travelerId])).has(travelerId)) {
      throw travelerNotFound();
    }
    await this.groups.removeMember(userId, groupId, travelerId);
  }

  /** Every traveler must be the owner's (else 404) and not archived (else 409). */
  private async assertAddable(
    userId: string,
    travelerIds: readonly string[],
    manager: EntityManager,
  ): Promise<void> {
    const statuses = await this.groups.travelerStatuses(userId, travelerIds, manager);
    if (travelerIds.some((id) => !statuses.has(id))) throw travelerNotFound();
    if (travelerIds.some((id) => statuses.get(id) === 'archived')) {
      throw new ProblemException(
        409,
        'TRAVELER_ARCHIVED',
        'An archived traveler cannot join a group; restore it first.',
      );
    }
  }
}
