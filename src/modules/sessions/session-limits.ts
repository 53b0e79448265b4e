/**
 * Bounds on what a session may hold, so that a session cannot grow without limit and a
 * single row stays cheap to rewrite (every append rewrites the JSONB document).
 * Byte sizes are measured on the compact JSON text (`JSON.stringify`), UTF-8.
 */
export const SESSION_LIMITS = {
  sessionDataMaxBytes: 512 * 1024,
  planDataMaxBytes: 128 * 1024,
  sessionMetadataMaxBytes: 16 * 1024,
  /** Nesting depth of any JSONB document (the root object is depth 1). */
  maxDepth: 12,
  maxChatMessages: 500,
  messageContentMaxChars: 8000,
  messageMetadataMaxBytes: 8 * 1024,
  searchResultsPerTypeMax: 100,
  itineraryDaysMax: 60,
  itineraryItemsPerDayMax: 50,
  savedItemDataMaxBytes: 64 * 1024,
  planContainsMaxBytes: 2 * 1024,
  planContainsMaxDepth: 6,
} as const;
