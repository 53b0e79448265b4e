import { describe, expect, it } from '@jest/globals';
import { ProblemException } from '#libs/common/errors/problem.exception.js';
import { isCalendarDate } from '#libs/common/time/calendar-date.js';
import type { JsonObject, JsonValue } from './json-merge-patch.js';
import {
  checkDocumentLimits,
  parsePlanContains,
  validateMessageMetadata,
  validatePlanData,
  validateSavedItemData,
  validateSessionData,
  validateSessionMetadata,
} from './session-documents.js';
import { SESSION_LIMITS } from './session-limits.js';

const message = (seq: number, content = `message ${seq}`): JsonObject => ({
  id: '0b5c7d1e-8f2a-4c3b-9d4e-5f6a7b8c9d0e',
  seq,
  role: 'user',
  content,
  createdAt: '2026-11-26T07:00:00.123456Z',
});

const nested = (depth: number): JsonValue => {
  let value: JsonValue = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { x: value };
  return value;
};

const GOOD_PLAN: JsonObject = {
  title: 'Lisbon long weekend',
  destinationCity: 'Lisbon',
  destinationCountry: 'PT',
  departureCity: 'Berlin',
  destinations: ['Lisbon', 'Sintra'],
  startDate: '2027-05-01',
  endDate: '2027-05-04',
  travelers: { adults: 2, children: 1 },
  totalBudget: { amountMinor: 150000, currency: 'EUR' },
  itinerary: [
    {
      day: 1,
      date: '2027-05-01',
      title: 'Arrival',
      items: [
        {
          type: 'flight',
          time: '09:30',
          title: 'BER → LIS',
          cost: { amountMinor: 12999, currency: 'EUR' },
        },
        { type: 'hotel', title: 'Check in', details: { room: 'double' } },
      ],
    },
  ],
  preferences: { pace: 'slow' },
  notes: 'Bring sunscreen',
};

describe('sessionData schema', () => {
  it.each<[string, JsonObject]>([
    ['empty', {}],
    ['empty transcript', { chatMessages: [] }],
    [
      'full document',
      {
        chatMessages: [message(1), { ...message(2), role: 'assistant', metadata: { hints: [] } }],
        parsedIntent: {
          destination: 'Tokyo',
          departureDate: '2027-04-01',
          travelers: { adults: 1 },
          budget: { max: { amountMinor: 300000, currency: 'JPY' } },
          confidence: 0.8,
          somethingNew: 'open for AI output',
        },
        searchResults: { flights: [{ id: 'f1' }], hotels: [], activities: [] },
        uiState: { currentStep: 'initial', expandedPanels: ['map'], filters: { stops: 0 } },
      },
    ],
  ])('accepts %s', (_name, document) => {
    expect(validateSessionData(document)).toEqual({});
  });

  it.each<[string, unknown, string]>([
    [
      'an unknown top-level member',
      { conversation_history: [] },
      'sessionData.conversation_history',
    ],
    ['a non-array transcript', { chatMessages: {} }, 'sessionData.chatMessages'],
    [
      'a message without content',
      { chatMessages: [{ ...message(1), content: undefined }] },
      'sessionData.chatMessages.0.content',
    ],
    [
      'a message with an unknown role',
      { chatMessages: [{ ...message(1), role: 'bot' }] },
      'sessionData.chatMessages.0.role',
    ],
    [
      'a message with a bad timestamp',
      { chatMessages: [{ ...message(1), createdAt: 'yesterday' }] },
      'sessionData.chatMessages.0.createdAt',
    ],
    [
      'a message that is too long',
      { chatMessages: [message(1, 'x'.repeat(SESSION_LIMITS.messageContentMaxChars + 1))] },
      'sessionData.chatMessages.0.content',
    ],
    [
      'an unknown search result type',
      { searchResults: { cars: [] } },
      'sessionData.searchResults.cars',
    ],
    [
      'a confidence above 1',
      { parsedIntent: { confidence: 1.5 } },
      'sessionData.parsedIntent.confidence',
    ],
    [
      'an invalid intent date',
      { parsedIntent: { departureDate: '2027-02-30' } },
      'sessionData.parsedIntent.departureDate',
    ],
    ['a non-object', ['a'], 'sessionData'],
  ])('refuses %s', (_name, document, field) => {
    const errors = validateSessionData(JSON.parse(JSON.stringify(document)) as JsonValue);
    expect(Object.keys(errors)).toContain(field);
  });

  it(`refuses more than ${SESSION_LIMITS.maxChatMessages} messages`, () => {
    const chatMessages = Array.from({ length: SESSION_LIMITS.maxChatMessages + 1 }, (_, i) =>
      message(i + 1, 'hi'),
    );
    expect(validateSessionData({ chatMessages })).toEqual({
      'sessionData.chatMessages': [
        `must NOT have more than ${SESSION_LIMITS.maxChatMessages} items`,
      ],
    });
    expect(validateSessionData({ chatMessages: chatMessages.slice(1) })).toEqual({});
  });

  it('refuses a document over the byte limit before looking at its shape', () => {
    const errors = validateSessionData({
      uiState: { filters: { blob: 'x'.repeat(SESSION_LIMITS.sessionDataMaxBytes) } },
    });
    expect(Object.keys(errors)).toEqual(['sessionData']);
    expect(errors.sessionData?.[0]).toMatch(/at most 524288 bytes/);
  });
});

describe('planData schema', () => {
  it('accepts a full plan', () => {
    expect(validatePlanData(GOOD_PLAN)).toEqual({});
  });

  it.each<[string, JsonObject, string]>([
    [
      'a float amount',
      { totalBudget: { amountMinor: 12.5, currency: 'EUR' } },
      'planData.totalBudget.amountMinor',
    ],
    [
      'an unknown currency',
      { totalBudget: { amountMinor: 100, currency: 'XYZ' } },
      'planData.totalBudget.currency',
    ],
    [
      'a lower-case currency',
      { totalBudget: { amountMinor: 100, currency: 'eur' } },
      'planData.totalBudget.currency',
    ],
    [
      'money without currency',
      { totalBudget: { amountMinor: 100 } },
      'planData.totalBudget.currency',
    ],
    ['a date that does not exist', { startDate: '2027-13-01' }, 'planData.startDate'],
    ['a timestamp as a date', { startDate: '2027-05-01T10:00:00Z' }, 'planData.startDate'],
    [
      'an end before the start',
      { startDate: '2027-05-04', endDate: '2027-05-01' },
      'planData.endDate',
    ],
    ['a destination that is not text', { destinationCity: 42 }, 'planData.destinationCity'],
    ['an unknown member', { departure_date: '2027-05-01' }, 'planData.departure_date'],
    [
      'an itinerary day without a number',
      { itinerary: [{ title: 'x' }] },
      'planData.itinerary.0.day',
    ],
    [
      'an itinerary item with a bad time',
      { itinerary: [{ day: 1, items: [{ title: 'x', time: '25:00' }] }] },
      'planData.itinerary.0.items.0.time',
    ],
    [
      'too many itinerary days',
      { itinerary: Array.from({ length: 61 }, (_, i) => ({ day: i + 1 })) },
      'planData.itinerary',
    ],
    ['negative travelers', { travelers: { adults: -1 } }, 'planData.travelers.adults'],
  ])('refuses %s', (_name, document, field) => {
    expect(Object.keys(validatePlanData(document))).toContain(field);
  });

  it('reports every broken field at once', () => {
    const errors = validatePlanData({
      startDate: 'soon',
      totalBudget: { amountMinor: 'ten', currency: 'EUR' },
    });
    expect(Object.keys(errors).sort()).toEqual([
      'planData.startDate',
      'planData.totalBudget.amountMinor',
    ]);
  });
});

describe('document limits', () => {
  it('counts depth from the root object', () => {
    const limits = { maxBytes: 10_000, maxDepth: 3 };
    expect(checkDocumentLimits(nested(3), 'doc', limits)).toEqual({});
    expect(checkDocumentLimits(nested(4), 'doc', limits)).toEqual({
      doc: ['must not nest deeper than 3 levels'],
    });
  });

  it('stops early on pathological nesting (no stack overflow)', () => {
    const deep = JSON.parse('['.repeat(50_000) + ']'.repeat(50_000)) as JsonValue;
    const errors = checkDocumentLimits(deep, 'doc', { maxBytes: 1_000_000, maxDepth: 12 });
    expect(errors).toEqual({ doc: ['must not nest deeper than 12 levels'] });
  });

  it('refuses NUL characters in values and in keys (jsonb cannot store them)', () => {
    expect(validateSessionMetadata({ source: 'a\u0000b' })).toEqual({
      'sessionMetadata.source': ['must not contain NUL (U+0000) characters'],
    });
    expect(Object.keys(validateSavedItemData({ 'bad\u0000key': 1 }))).toEqual(['data']);
  });

  it('measures bytes as UTF-8', () => {
    const limits = { maxBytes: 14, maxDepth: 5 };
    expect(checkDocumentLimits({ a: 'ééé' }, 'doc', limits)).toEqual({});
    expect(Object.keys(checkDocumentLimits({ a: 'éééé' }, 'doc', limits))).toEqual(['doc']);
  });

  it.each<[string, (value: JsonValue) => Record<string, string[]>, JsonValue]>([
    [
      'session metadata',
      validateSessionMetadata,
      { blob: 'x'.repeat(SESSION_LIMITS.sessionMetadataMaxBytes) },
    ],
    [
      'message metadata',
      validateMessageMetadata,
      { blob: 'x'.repeat(SESSION_LIMITS.messageMetadataMaxBytes) },
    ],
    [
      'saved item data',
      validateSavedItemData,
      { blob: 'x'.repeat(SESSION_LIMITS.savedItemDataMaxBytes) },
    ],
    ['plan data', validatePlanData, { notes: 'x'.repeat(SESSION_LIMITS.planDataMaxBytes) }],
  ])('%s has a byte limit', (_name, validate, document) => {
    expect(Object.keys(validate(document))).toHaveLength(1);
  });

  it('message metadata is shallower than the session documents', () => {
    expect(validateMessageMetadata(nested(SESSION_LIMITS.maxDepth - 3) as JsonObject)).toEqual({});
    expect(
      Object.keys(validateMessageMetadata(nested(SESSION_LIMITS.maxDepth) as JsonObject)),
    ).toEqual(['metadata']);
  });
});

describe('planContains', () => {
  it('parses a JSON object', () => {
    expect(parsePlanContains('{"destinationCity":"Lisbon","travelers":{"adults":2}}')).toEqual({
      destinationCity: 'Lisbon',
      travelers: { adults: 2 },
    });
  });

  it.each([
    ['not JSON', '{destinationCity:Lisbon}', 'must be valid JSON'],
    ['an array', '["Lisbon"]', 'must be a JSON object'],
    ['a scalar', '"Lisbon"', 'must be a JSON object'],
    ['null', 'null', 'must be a JSON object'],
    ['too deep', JSON.stringify(nested(7)), 'must not nest deeper than 6 levels'],
    ['too long', JSON.stringify({ a: 'x'.repeat(3000) }), 'must be at most 2048 bytes'],
    ['a NUL character', '{"a":"\\u0000"}', 'must not contain NUL (U+0000) characters'],
  ])('refuses %s with 400 on planContains', (_name, raw, message) => {
    try {
      parsePlanContains(raw);
      throw new Error('expected a problem');
    } catch (error) {
      expect(error).toBeInstanceOf(ProblemException);
      const problem = error as ProblemException;
      expect(problem.getStatus()).toBe(400);
      expect(problem.code).toBe('VALIDATION_FAILED');
      expect(Object.values(problem.extras.errors ?? {}).flat()).toContain(message);
    }
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2027-02-28', true],
    ['2028-02-29', true],
    ['2027-02-29', false],
    ['2027-04-31', false],
    ['2027-4-1', false],
    ['', false],
  ])('%s → %s', (value, expected) => {
    expect(isCalendarDate(value)).toBe(expected);
  });
});
