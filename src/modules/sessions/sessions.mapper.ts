import type { JsonObject } from './json-merge-patch.js';
import type { MessageResponseDto } from './dto/message.dto.js';
import type { SavedItemResponseDto } from './dto/saved-item.dto.js';
import type { SessionResponseDto, SessionSummaryDto } from './dto/session.dto.js';
import type { SavedItemEntity } from './saved-item.entity.js';
import type { TravelSessionEntity } from './travel-session.entity.js';

export type SessionRecord = Omit<TravelSessionEntity, 'sessionData'> & { sessionData?: JsonObject };

export function toSessionSummary(session: SessionRecord): SessionSummaryDto {
  return {
    id: session.id,
    status: session.status,
    title: session.title,
    planData: session.planData,
    sessionMetadata: session.sessionMetadata,
    version: session.version,
    createdAt: session.createdAt.toISOString(),
    updatedAt: session.updatedAt.toISOString(),
    lastActivityAt: session.lastActivityAt.toISOString(),
  };
}

export function toSessionResponse(session: TravelSessionEntity): SessionResponseDto {
  return { ...toSessionSummary(session), sessionData: session.sessionData };
}

export function toMessageResponse(message: JsonObject): MessageResponseDto {
  const dto: MessageResponseDto = {
    id: message.id as string,
    seq: message.seq as number,
    role: message.role as MessageResponseDto['role'],
    content: message.content as string,
    createdAt: message.createdAt as string,
  };
  if (message.metadata !== undefined) dto.metadata = message.metadata as JsonObject;
  return dto;
}

export function toSavedItemResponse(item: SavedItemEntity): SavedItemResponseDto {
  return {
    id: item.id,
    sessionId: item.sessionId,
    itemType: item.itemType,
    provider: item.provider,
    externalId: item.externalId,
    title: item.title,
    data: item.data,
    price:
      item.priceAmountMinor === null || item.priceCurrency === null
        ? null
        : { amountMinor: item.priceAmountMinor, currency: item.priceCurrency },
    notes: item.notes,
    assignedDay: item.assignedDay,
    position: item.position,
    createdAt: item.createdAt.toISOString(),
    updatedAt: item.updatedAt.toISOString(),
  };
}
