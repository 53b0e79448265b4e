import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { Field } from '../components/Field';
import { ListTable, usePagedList } from '../components/ListTable';
import { UrlSelectFilter, useUrlFilter } from '../components/Pager';
import { formatDate, formatDateTime, humanize, money } from '../format';
import {
  paramsWithSearch,
  SEARCH_FIELDS,
  SEARCH_LABELS,
  searchFromParams,
  searchQuery,
} from './bookings-search';

type Status = Schemas['AdminBookingResponseDto']['status'];
const STATUSES: readonly Status[] = [
  'pending',
  'confirmed',
  'cancelled',
  'completed',
  'expired',
  'refunded',
  'failed',
];

export default function BookingsPage() {
  const [status] = useUrlFilter('status');
  const [params, setParams] = useSearchParams();
  const search = searchFromParams(params);
  const [draft, setDraft] = useState(search);
  // Back/forward and links change the URL: the form shows the search that is applied.
  const searchKey = JSON.stringify(search);
  useEffect(() => setDraft(JSON.parse(searchKey) as typeof search), [searchKey]);
  const query = usePagedList('bookings', { status, search }, async (cursor) =>
    unwrap(
      await api.GET('/api/v1/admin/bookings', {
        params: {
          query: {
            limit: 25,
            cursor,
            status: (status || undefined) as Status | undefined,
            ...searchQuery(search),
          },
        },
      }),
    ),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(paramsWithSearch(params, draft));
  };
  return (
    <section aria-labelledby="bookings-heading">
      <h1 id="bookings-heading">Bookings</h1>
      <form className="filters" role="search" aria-label="Find bookings" onSubmit={submit}>
        {SEARCH_FIELDS.map((name) => (
          <Field
            key={name}
            label={SEARCH_LABELS[name]}
            type={name === 'email' ? 'email' : 'text'}
            value={draft[name]}
            onChange={(event) =>
              setDraft((current) => ({ ...current, [name]: event.target.value }))
            }
            field={name}
            error={query.error}
          />
        ))}
        <UrlSelectFilter name="status" label="Status" values={STATUSES} anyLabel="Any status" />
        <button type="submit">Search</button>
      </form>
      <ListTable
        query={query}
        caption="Bookings, newest first"
        columns={['Reference', 'Type', 'Status', 'Confirmation', 'Travel', 'Total', 'Booked']}
        empty="No bookings match."
        fields={SEARCH_FIELDS}
        row={(booking) => (
          <tr key={booking.id}>
            <td>
              <Link to={`/bookings/${booking.id}`}>{booking.reference}</Link>
            </td>
            <td>{humanize(booking.bookingType)}</td>
            <td>{humanize(booking.status)}</td>
            <td>{booking.confirmationCode ?? '—'}</td>
            <td>
              {formatDate(booking.travelStartDate)} – {formatDate(booking.travelEndDate)}
            </td>
            <td>{money(booking.total)}</td>
            <td>{formatDateTime(booking.bookedAt)}</td>
          </tr>
        )}
      />
    </section>
  );
}
