import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { Field } from '../components/Field';
import { ListTable, usePagedList } from '../components/ListTable';
import { formatDateTime } from '../format';

const FILTERS = ['action', 'actorId', 'subjectId', 'resourceType', 'from', 'to'] as const;
type Filter = (typeof FILTERS)[number];
const LABELS: Record<Filter, string> = {
  action: 'Action',
  actorId: 'Actor id',
  subjectId: 'Subject id',
  resourceType: 'Resource type',
  from: 'From',
  to: 'To',
};

export default function AuditLogPage() {
  const [params, setParams] = useSearchParams();
  const applied = Object.fromEntries(
    FILTERS.map((name) => [name, params.get(name) ?? '']),
  ) as Record<Filter, string>;
  const [draft, setDraft] = useState(applied);
  const toIso = (value: string) =>
    value ? new Date(`${value}T00:00:00Z`).toISOString() : undefined;
  const query = usePagedList('audit', applied, async (cursor) =>
    unwrap(
      await api.GET('/api/v1/compliance/audit-events', {
        params: {
          query: {
            limit: 50,
            cursor,
            action: applied.action || undefined,
            actorId: applied.actorId || undefined,
            subjectId: applied.subjectId || undefined,
            resourceType: applied.resourceType || undefined,
            from: toIso(applied.from),
            to: toIso(applied.to),
          },
        },
      }),
    ),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const name of FILTERS) if (draft[name].trim()) next.set(name, draft[name].trim());
    setParams(next);
  };
  return (
    <section aria-labelledby="audit-heading">
      <h1 id="audit-heading">Audit log</h1>
      <form className="filters" onSubmit={submit}>
        {FILTERS.map((name) => (
          <Field
            key={name}
            label={LABELS[name]}
            type={name === 'from' || name === 'to' ? 'date' : 'text'}
            value={draft[name]}
            onChange={(event) =>
              setDraft((current) => ({ ...current, [name]: event.target.value }))
            }
            field={name}
            error={query.error}
          />
        ))}
        <button type="submit">Filter</button>
      </form>
      <ListTable
        query={query}
        caption="Audit events, newest first"
        columns={['When', 'Action', 'Actor', 'Subject', 'Resource', 'Reason']}
        empty="No audit events match."
        fields={FILTERS}
        row={(event) => (
          <tr key={event.id}>
            <td>{formatDateTime(event.occurredAt)}</td>
            <td>{event.action}</td>
            <td>
              {event.actorId ?? 'system'}{' '}
              <span className="muted">{event.actorRoles.join(', ')}</span>
            </td>
            <td>{event.subjectId ?? '—'}</td>
            <td>
              {event.resourceType} {event.resourceId ?? ''}
            </td>
            <td>{event.reason ?? '—'}</td>
          </tr>
        )}
      />
    </section>
  );
}
