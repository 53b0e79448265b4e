/** The support desk's booking search, kept in the URL so a search can be reloaded and shared. */
export const SEARCH_FIELDS = ['reference', 'confirmationCode', 'email'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];
export type BookingSearch = Record<SearchField, string>;

export const SEARCH_LABELS: Record<SearchField, string> = {
  reference: 'Reference',
  confirmationCode: 'Confirmation code',
  email: 'User email',
};

/** The search as the URL holds it (absent fields are empty). */
export function searchFromParams(params: URLSearchParams): BookingSearch {
  return {
    reference: params.get('reference') ?? '',
    confirmationCode: params.get('confirmationCode') ?? '',
    email: params.get('email') ?? '',
  };
}

/**
 * The URL after submitting `draft`: trimmed, empty fields dropped, other filters (status) kept,
 * back to the first page.
 */
export function paramsWithSearch(params: URLSearchParams, draft: BookingSearch): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of SEARCH_FIELDS) {
    const value = draft[name].trim();
    if (value) next.set(name, value);
    else next.delete(name);
  }
  next.delete('cursor');
  return next;
}

/** The API query parameters for the applied search (empty fields are not sent). */
export function searchQuery(search: BookingSearch): Partial<BookingSearch> {
  return Object.fromEntries(
    SEARCH_FIELDS.filter((name) => search[name]).map((name) => [name, search[name]]),
  );
}
