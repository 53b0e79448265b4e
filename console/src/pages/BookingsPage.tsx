import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { Field, SelectField } from '../components/Field';
import { Pager, useCursor, useUrlFilter } from '../components/Pager';
import { Empty, ErrorMessage, Loading } from '../components/States';
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
  const [status, setStatus] = useUrlFilter('status');
  const [params, setParams] = useSearchParams();
  const cursor = useCursor();
  const search = searchFromParams(params);
  const [draft, setDraft] = useState(search);
  // Back/forward and links change the URL: the form shows the search that is applied.
  const searchKey = JSON.stringify(search);
  useEffect(() => setDraft(JSON.parse(searchKey) as typeof search), [searchKey]);
  const query = useQuery({
    queryKey: ['bookings', { status, cursor, search }],
    queryFn: async () =>
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
  });
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
        <SelectField
          label="Status"
          value={status}
          onChange={(event) => setStatus(event.target.value)}
          options={[
            { value: '', label: 'Any status' },
            ...STATUSES.map((value) => ({ value, label: humanize(value) })),
          ]}
        />
        <button type="submit">Search</button>
      </form>
      {query.isPending && <Loading />}
      <ErrorMessage error={query.error} fields={SEARCH_FIELDS} />
      {query.data?.items.length === 0 && <Empty>No bookings match.</Empty>}
      {query.data && query.data.items.length > 0 && (
        <table>
          <caption>Bookings, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Reference</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Confirmation</th>
              <th scope="col">Travel</th>
              <th scope="col">Total</th>
              <th scope="col">Booked</th>
            </tr>
          </thead>
          <tbody>
            {query.data.items.map((booking) => (
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
            ))}
          </tbody>
        </table>
      )}
      <Pager nextCursor={query.data?.nextCursor} />
    </section>
  );
}
