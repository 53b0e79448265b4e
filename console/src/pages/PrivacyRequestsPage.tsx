import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { Field, SelectField, TextAreaField } from '../components/Field';
import { ListTable, usePagedList } from '../components/ListTable';
import { UrlSelectFilter, useUrlFilter } from '../components/Pager';
import { ErrorMessage } from '../components/States';
import { formatDateTime, humanize } from '../format';

type PrivacyRequest = Schemas['PrivacyRequestResponseDto'];
type RequestType = PrivacyRequest['type'];
type Channel = PrivacyRequest['channel'];
type Status = PrivacyRequest['status'];

export const REQUEST_TYPES: readonly RequestType[] = [
  'access',
  'erasure',
  'rectification',
  'restriction',
  'objection',
  'portability',
];
const CHANNELS: readonly Channel[] = ['email', 'letter', 'phone', 'web_form', 'self_service'];
export const STATUSES: readonly Status[] = [
  'received',
  'identity_verified',
  'in_progress',
  'completed',
  'rejected',
];

/** The privacy-request register: intake by staff, filters, overdue requests flagged. */
export default function PrivacyRequestsPage() {
  const [status] = useUrlFilter('status');
  const [type] = useUrlFilter('type');
  const [overdue, setOverdue] = useUrlFilter('overdue');
  const [creating, setCreating] = useState(false);
  const newButton = useRef<HTMLButtonElement>(null);
  const query = usePagedList('privacy-requests', { status, type, overdue }, async (cursor) =>
    unwrap(
      await api.GET('/api/v1/compliance/privacy-requests', {
        params: {
          query: {
            limit: 25,
            cursor,
            status: (status || undefined) as Status | undefined,
            type: (type || undefined) as RequestType | undefined,
            overdue: overdue === 'true' ? 'true' : undefined,
          },
        },
      }),
    ),
  );
  return (
    <section aria-labelledby="privacy-heading">
      <h1 id="privacy-heading">Privacy requests</h1>
      <p>
        <button
          type="button"
          ref={newButton}
          aria-expanded={creating}
          onClick={() => setCreating(true)}
        >
          New request
        </button>
      </p>
      {creating && (
        <NewRequestForm onCancel={() => (setCreating(false), newButton.current?.focus())} />
      )}
      <div className="filters" role="group" aria-label="Filters">
        <UrlSelectFilter name="status" label="Status" values={STATUSES} anyLabel="Any" />
        <UrlSelectFilter name="type" label="Request type" values={REQUEST_TYPES} anyLabel="Any" />
        <div className="field">
          <label>
            <input
              type="checkbox"
              checked={overdue === 'true'}
              onChange={(event) => setOverdue(event.target.checked ? 'true' : '')}
            />{' '}
            Only overdue
          </label>
        </div>
      </div>
      <ListTable
        query={query}
        caption="Privacy requests, newest first"
        columns={['Request', 'Subject', 'Channel', 'Status', 'Received', 'Due']}
        empty="No privacy requests match."
        row={(request) => (
          <tr key={request.id}>
            <td>
              <Link to={`/privacy-requests/${request.id}`}>
                {humanize(request.type)} request
                <span className="visually-hidden"> from {subjectOf(request)}</span>
              </Link>
            </td>
            <td>{subjectOf(request)}</td>
            <td>{humanize(request.channel)}</td>
            <td>
              {humanize(request.status)}
              {request.overdue && <strong className="overdue"> Overdue</strong>}
            </td>
            <td>{formatDateTime(request.receivedAt)}</td>
            <td>{formatDateTime(request.extendedDueAt ?? request.dueAt)}</td>
          </tr>
        )}
      />
    </section>
  );
}

export function subjectOf(request: PrivacyRequest): string {
  return request.subjectEmail ?? request.subjectId ?? 'Unknown subject';
}

function NewRequestForm({ onCancel }: { onCancel: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [type, setType] = useState<RequestType>('access');
  const [channel, setChannel] = useState<Channel>('email');
  const [subjectEmail, setSubjectEmail] = useState('');
  const [details, setDetails] = useState('');
  const create = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/compliance/privacy-requests', {
          body: {
            type,
            channel,
            subjectEmail: subjectEmail.trim() || undefined,
            details: details.trim() || undefined,
          },
        }),
      ),
    onSuccess: (created) => {
      void queryClient.invalidateQueries({ queryKey: ['privacy-requests'] });
      void navigate(`/privacy-requests/${created.id}`);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="new-request-heading" noValidate>
      <h2 id="new-request-heading">New privacy request</h2>
      <SelectField
        label="Type"
        autoFocus
        value={type}
        onChange={(event) => setType(event.target.value as RequestType)}
        field="type"
        error={create.error}
        options={REQUEST_TYPES.map((value) => ({ value, label: humanize(value) }))}
      />
      <SelectField
        label="Channel"
        value={channel}
        onChange={(event) => setChannel(event.target.value as Channel)}
        field="channel"
        error={create.error}
        options={CHANNELS.map((value) => ({ value, label: humanize(value) }))}
      />
      <Field
        label="Subject email"
        type="email"
        value={subjectEmail}
        onChange={(event) => setSubjectEmail(event.target.value)}
        field="subjectEmail"
        error={create.error}
        maxLength={254}
      />
      <TextAreaField
        label="Details"
        value={details}
        onChange={(event) => setDetails(event.target.value)}
        field="details"
        error={create.error}
        maxLength={4000}
      />
      <ErrorMessage error={create.error} fields={['type', 'channel', 'subjectEmail', 'details']} />
      <button type="submit" disabled={create.isPending}>
        Create request
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
