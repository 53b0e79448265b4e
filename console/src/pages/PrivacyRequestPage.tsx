import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Schemas, session, unwrap } from '../api/client';
import { ApiError, toProblem } from '../api/problem';
import { Field, SelectField, TextAreaField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/States';
import { formatDateTime, humanize } from '../format';
import { subjectOf } from './PrivacyRequestsPage';

type Detail = Schemas['PrivacyRequestDetailDto'];
type Status = Detail['status'];
type ErasureReport = Schemas['ErasureReportDto'];

const OPEN: readonly Status[] = ['received', 'identity_verified', 'in_progress'];
/** The API's lifecycle (PRIVACY_REQUEST_TRANSITIONS): only legal moves are offered. */
const NEXT: Readonly<Record<Status, readonly Status[]>> = {
  received: ['identity_verified', 'rejected'],
  identity_verified: ['in_progress', 'rejected'],
  in_progress: ['completed', 'rejected'],
  completed: [],
  rejected: [],
};
const FULFILLABLE: readonly Status[] = ['identity_verified', 'in_progress'];

/** One privacy request: its deadlines and history, status changes, extension and staff runs. */
export default function PrivacyRequestPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const key = ['privacy-request', id];
  const query = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrap(
        await api.GET('/api/v1/compliance/privacy-requests/{id}', { params: { path: { id } } }),
      ),
  });
  const changed = () => {
    void queryClient.invalidateQueries({ queryKey: key });
    void queryClient.invalidateQueries({ queryKey: ['privacy-requests'] });
  };

  if (query.isPending) return <Loading />;
  if (query.error) {
    return (
      <section>
        <h1>Privacy request</h1>
        <ErrorMessage error={query.error} />
        <Link to="/privacy-requests">Back to privacy requests</Link>
      </section>
    );
  }
  const request = query.data;
  const open = OPEN.includes(request.status);
  return (
    <section aria-labelledby="request-heading">
      <p>
        <Link to="/privacy-requests">Back to privacy requests</Link>
      </p>
      <h1 id="request-heading">
        {humanize(request.type)} request from {subjectOf(request)}
      </h1>
      <p>
        Status: <strong>{humanize(request.status)}</strong>
        {request.overdue && <strong className="overdue"> Overdue</strong>}
      </p>
      <dl className="fields">
        <dt>Channel</dt>
        <dd>{humanize(request.channel)}</dd>
        <dt>Subject account</dt>
        <dd>{request.subjectId ?? 'No account matched'}</dd>
        <dt>Details</dt>
        <dd>{request.details ?? '—'}</dd>
        <dt>Received</dt>
        <dd>{formatDateTime(request.receivedAt)}</dd>
        <dt>Due</dt>
        <dd>{formatDateTime(request.dueAt)}</dd>
        <dt>Extended due date</dt>
        <dd>
          {request.extendedDueAt
            ? `${formatDateTime(request.extendedDueAt)} (${request.extensionReason ?? ''})`
            : 'Not extended'}
        </dd>
        <dt>Identity verified by</dt>
        <dd>{request.identityMethod ?? '—'}</dd>
        <dt>Completed</dt>
        <dd>{formatDateTime(request.completedAt)}</dd>
        <dt>Outcome</dt>
        <dd>{request.outcome ?? request.rejectionReason ?? '—'}</dd>
      </dl>

      {open && <TransitionForm request={request} onDone={changed} />}
      {open && request.extendedDueAt === null && <ExtendForm id={request.id} onDone={changed} />}
      {request.subjectId && FULFILLABLE.includes(request.status) && (
        <StaffRuns request={request} onDone={changed} />
      )}

      <section aria-labelledby="request-history-heading">
        <h2 id="request-history-heading">History</h2>
        <ol>
          {request.history.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              {formatDateTime(entry.at)}: {entry.from ? `${humanize(entry.from)} → ` : ''}
              {humanize(entry.to)}
              {entry.reason ? ` — ${entry.reason}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </section>
  );
}

function TransitionForm({ request, onDone }: { request: Detail; onDone: () => void }) {
  const targets = NEXT[request.status];
  const [to, setTo] = useState<Status>(targets[0] ?? 'in_progress');
  const [reason, setReason] = useState('');
  const [outcome, setOutcome] = useState('');
  const [identityMethod, setIdentityMethod] = useState('');
  const transition = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/compliance/privacy-requests/{id}/transition', {
          params: { path: { id: request.id } },
          body: {
            to,
            reason: reason.trim() || undefined,
            outcome: to === 'completed' ? outcome.trim() || undefined : undefined,
            identityMethod:
              to === 'identity_verified' ? identityMethod.trim() || undefined : undefined,
          },
        }),
      ),
    onSuccess: () => {
      setReason('');
      setOutcome('');
      setIdentityMethod('');
      onDone();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    transition.mutate();
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="transition-heading" noValidate>
      <h2 id="transition-heading">Change status</h2>
      <SelectField
        label="New status"
        value={to}
        onChange={(event) => setTo(event.target.value as Status)}
        field="to"
        error={transition.error}
        options={targets.map((value) => ({ value, label: humanize(value) }))}
      />
      {to === 'identity_verified' && (
        <Field
          label="Identity method"
          value={identityMethod}
          onChange={(event) => setIdentityMethod(event.target.value)}
          field="identityMethod"
          error={transition.error}
          maxLength={200}
          required
        />
      )}
      {to === 'completed' && (
        <TextAreaField
          label="Outcome"
          value={outcome}
          onChange={(event) => setOutcome(event.target.value)}
          field="outcome"
          error={transition.error}
          maxLength={4000}
          required
        />
      )}
      <TextAreaField
        label={to === 'rejected' ? 'Reason' : 'Reason (optional)'}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        field="reason"
        error={transition.error}
        maxLength={2000}
        required={to === 'rejected'}
      />
      <ErrorMessage
        error={transition.error}
        fields={['to', 'reason', 'outcome', 'identityMethod']}
      />
      <button type="submit" disabled={transition.isPending}>
        Change status
      </button>
    </form>
  );
}

function ExtendForm({ id, onDone }: { id: string; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const extend = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/compliance/privacy-requests/{id}/extend', {
          params: { path: { id } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    extend.mutate();
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="extend-heading" noValidate>
      <h2 id="extend-heading">Extend the deadline by two months</h2>
      <TextAreaField
        label="Extension reason"
        value={reason}
        onChange={(event) => setReason(event.target.value)}
        field="reason"
        error={extend.error}
        maxLength={2000}
        required
      />
      <ErrorMessage error={extend.error} fields={['reason']} />
      <button type="submit" disabled={extend.isPending}>
        Extend deadline
      </button>
    </form>
  );
}

/** Staff export (a download) and, for erasure requests, the dry run first, then the real one. */
function StaffRuns({ request, onDone }: { request: Detail; onDone: () => void }) {
  const [preview, setPreview] = useState<ErasureReport | null>(null);
  const exporting = useMutation({
    mutationFn: async () => {
      const response = await session.fetch(
        new Request(
          `${window.location.origin}/api/v1/compliance/privacy-requests/${request.id}/export`,
        ),
      );
      if (!response.ok) {
        const body: unknown = await response.json().catch(() => undefined);
        throw new ApiError(toProblem(response.status, body));
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `privacy-export-${request.id}.json`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
    onSuccess: onDone,
  });
  const erase = useMutation({
    mutationFn: async (dryRun: boolean) =>
      unwrap(
        await api.POST('/api/v1/compliance/privacy-requests/{id}/erasure', {
          params: { path: { id: request.id } },
          body: { dryRun },
        }),
      ),
    onSuccess: (report) => {
      setPreview(report);
      if (report.executed) onDone();
    },
  });
  return (
    <section aria-labelledby="runs-heading" className="card">
      <h2 id="runs-heading">Staff actions</h2>
      {(request.type === 'access' || request.type === 'portability') && (
        <p>
          <button type="button" onClick={() => exporting.mutate()} disabled={exporting.isPending}>
            Download export
          </button>
        </p>
      )}
      <ErrorMessage error={exporting.error} />
      {request.type === 'erasure' && (
        <p>
          <button type="button" onClick={() => erase.mutate(true)} disabled={erase.isPending}>
            Preview erasure
          </button>
        </p>
      )}
      <ErrorMessage error={erase.error} />
      {preview && (
        <>
          <table>
            <caption>
              {preview.executed ? 'Erased' : 'Would be erased (nothing changed yet)'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col">Action</th>
                <th scope="col">Rows</th>
                <th scope="col">Kept until</th>
              </tr>
            </thead>
            <tbody>
              {preview.categories.map((category) => (
                <tr key={category.category}>
                  <td>{category.description}</td>
                  <td>{humanize(category.action)}</td>
                  <td>{category.rows}</td>
                  <td>{formatDateTime(category.keptUntil)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {!preview.executed && (
            <p>
              <button type="button" onClick={() => erase.mutate(false)} disabled={erase.isPending}>
                Confirm erasure
              </button>
            </p>
          )}
          {preview.executed && (
            <p role="status">Erased. The kept records now carry pseudonym {preview.pseudonym}.</p>
          )}
        </>
      )}
    </section>
  );
}
