import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { validationProblem } from '#libs/common/http/validation.js';
import type { MoneyDto } from '#libs/common/money/money.js';
import { keysetPage, mapPage, type Page } from '#libs/common/pagination/pagination.js';
import type {
  CreateSavedItemDto,
  ListSavedItemsQueryDto,
  SavedItemResponseDto,
  UpdateSavedItemDto,
} from './dto/saved-item.dto.js';
import { SavedItemEntity } from './saved-item.entity.js';
import { assertNoFieldErrors, validateSavedItemData } from './session-documents.js';
import { savedItemNotFound, sessionArchived, sessionNotFound } from './sessions.exception.js';
import { toSavedItemResponse } from './sessions.mapper.js';
import { SessionsRepository } from './sessions.repository.js';

function checkPrice(price: MoneyDto | null | undefined): void {
  if (price && price.amountMinor < 0) {
    throw validationProblem({ 'price.amountMinor': ['must not be negative'] });
  }
}

/** Saved items live under a session; every query goes through the session's owner. */
@Injectable()
export class SavedItemsService {
  constructor(
    @InjectRepository(SavedItemEntity) private readonly items: Repository<SavedItemEntity>,
    private readonly sessions: SessionsRepository,
  ) {}

  async create(
    userId: string,
    sessionId: string,
    dto: CreateSavedItemDto,
  ): Promise<SavedItemResponseDto> {
    if (dto.externalId !== undefined && dto.provider === undefined) {
      throw validationProblem({ provider: ['is required when externalId is set'] });
    }
    checkPrice(dto.price);
    if (dto.data !== undefined) assertNoFieldErrors(validateSavedItemData(dto.data));
    await this.writableSession(userId, sessionId);
    const position =
      dto.position ??
      Number(
        (
          await this.items
            .createQueryBuilder('i')
            .select('COALESCE(MAX(i.position), 0) + 1', 'next')
            .where('i.session_id = :sessionId', { sessionId })
            .getRawOne<{ next: number }>()
        )?.next ?? 1,
      );
    const item = await this.items.save(
      this.items.create({
        sessionId,
        itemType: dto.itemType,
        provider: dto.provider ?? null,
        externalId: dto.externalId ?? null,
        title: dto.title,
        data: dto.data ?? {},
        priceAmountMinor: dto.price?.amountMinor ?? null,
        priceCurrency: dto.price?.currency.toUpperCase() ?? null,
        notes: dto.notes ?? null,
        assignedDay: dto.assignedDay ?? null,
        position,
      }),
    );
    await this.sessions.touch(sessionId);
    return toSavedItemResponse(item);
  }

  async list(
    userId: string,
    sessionId: string,
    query: ListSavedItemsQueryDto,
  ): Promise<Page<SavedItemResponseDto>> {
    if ((await this.sessions.findOwnedStatus(sessionId, userId)) === null) {
      throw sessionNotFound();
    }
    const page = await keysetPage(
      this.items.createQueryBuilder('i').where('i.session_id = :sessionId', { sessionId }),
      { alias: 'i', limit: query.limit, cursor: query.cursor },
    );
    return mapPage(page, toSavedItemResponse);
  }

  async get(userId: string, sessionId: string, itemId: string): Promise<SavedItemResponseDto> {
    return toSavedItemResponse(await this.owned(userId, sessionId, itemId));
  }

  async update(
    userId: string,
    sessionId: string,
    itemId: string,
    dto: UpdateSavedItemDto,
  ): Promise<SavedItemResponseDto> {
    checkPrice(dto.price);
    if (dto.data !== undefined) assertNoFieldErrors(validateSavedItemData(dto.data));
    await this.writableSession(userId, sessionId);
    const item = await this.owned(userId, sessionId, itemId);
    if (dto.title !== undefined) item.title = dto.title;
    if (dto.data !== undefined) item.data = dto.data;
    if (dto.price !== undefined) {
      item.priceAmountMinor = dto.price?.amountMinor ?? null;
      item.priceCurrency = dto.price?.currency.toUpperCase() ?? null;
    }
    if (dto.notes !== undefined) item.notes = dto.notes;
    if (dto.assignedDay !== undefined) item.assignedDay = dto.assignedDay;
    if (dto.position !== undefined) item.position = dto.position;
    const saved = await this.items.save(item);
    await this.sessions.touch(sessionId);
    return toSavedItemResponse(saved);
  }

  async remove(userId: string, sessionId: string, itemId: string): Promise<void> {
    await this.writableSession(userId, sessionId);
    const item = await this.owned(userId, sessionId, itemId);
    await this.items.delete({ id: item.id, sessionId });
    await this.sessions.touch(sessionId);
  }

  private async writableSession(userId: string, sessionId: string): Promise<void> {
    const status = await this.sessions.findOwnedStatus(sessionId, userId);
    if (status === null) throw sessionNotFound();
    if (status === 'archived') throw sessionArchived();
  }

  private async owned(userId: string, sessionId: string, itemId: string): Promise<SavedItemEntity> {
    const item = await this.items
      .createQueryBuilder('i')
      .innerJoin('i.session', 's')
      .where('i.id = :itemId AND i.session_id = :sessionId AND s.user_id = :userId', {
        itemId,
        sessionId,
        userId,
      })
      .getOne();
    if (!item) throw savedItemNotFound();
    return item;
  }
}
