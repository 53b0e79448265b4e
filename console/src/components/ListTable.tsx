import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Pager, useCursor } from './Pager';
import { Empty, ErrorMessage, Loading } from './States';

/** A list answer of the API: its items and, when paged, the cursor of the next page. */
export interface ListAnswer<T> {
  items: T[];
  nextCursor?: string | null;
}

/**
 * One page of a keyset-paged list. The cursor comes from the URL (reload and the back button
 * keep the page); the key is the list's name, its filters and the cursor, so invalidating
 * `[name]` makes every page of it stale.
 */
export function usePagedList<T>(
  name: string,
  filters: object,
  fetchPage: (cursor: string | undefined) => Promise<ListAnswer<T>>,
) {
  const cursor = useCursor();
  return useQuery({ queryKey: [name, filters, cursor], queryFn: () => fetchPage(cursor) });
}

interface ListTableProps<T> {
  query: { isPending: boolean; error: unknown; data?: ListAnswer<T> };
  caption: string;
  columns: readonly string[];
  /** Said in the place of the table when nothing matches. */
  empty: string;
  /** The filter fields whose problems are shown next to them (not here). */
  fields?: readonly string[];
  /** One <tr> (with its key) per item. */
  row: (item: T) => ReactNode;
  /** Shows the pager under the table (lists that the API pages). */
  paged?: boolean;
}

/** A list's states in one place: loading, a problem, nothing found, or its table and pager. */
export function ListTable<T>({
  query,
  caption,
  columns,
  empty,
  fields,
  row,
  paged = true,
}: ListTableProps<T>) {
  const items = query.data?.items;
  return (
    <>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} fields={fields} />
      {items?.length === 0 && <Empty>{empty}</Empty>}
      {items && items.length > 0 && (
        <table>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{items.map((item) => row(item))}</tbody>
        </table>
      )}
      {paged && <Pager nextCursor={query.data?.nextCursor} />}
    </>
  );
}
