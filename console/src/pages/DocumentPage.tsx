import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type RefObject, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, type Schemas, unwrap } from '../api/client';
import { ReasonField, SelectField, TextAreaField } from '../components/Field';
import { ErrorMessage, Loading } from '../components/States';
import { formatDate, formatDateTime, humanize } from '../format';
import { filesOf, Scans } from './Scans';

type Detail = Schemas['AdminDocumentDetailResponseDto'];
type ReasonCode = NonNullable<Schemas['ReviewDocumentDto']['reasonCode']>;
const REJECT_REASONS: readonly ReasonCode[] = [
  'illegible',
  'data_mismatch',
  'invalid_dates',
  'unsupported_document',
  'incomplete',
  'suspected_fraud',
  'other',
];

export function DocumentPage() {
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const key = ['document', id];
  const query = useQuery({
    queryKey: key,
    queryFn: async () =>
      unwrap(await api.GET('/api/v1/admin/documents/{id}', { params: { path: { id } } })),
  });
  // A decision removes the control that had the focus (Claim, the reject form): the focus
  // goes on to what comes next, once the new status is on screen.
  const status = useRef<HTMLParagraphElement>(null);
  const verifyButton = useRef<HTMLButtonElement>(null);
  const rejectButton = useRef<HTMLButtonElement>(null);
  const revealButton = useRef<HTMLButtonElement>(null);
  const [focusNext, setFocusNext] = useState<RefObject<HTMLElement | null> | null>(null);
  useEffect(() => {
    if (!focusNext) return;
    focusNext.current?.focus();
    setFocusNext(null);
  }, [focusNext]);
  // After a decision: this document and every queue page are stale.
  const decided = (document: Detail) => {
    queryClient.setQueryData(key, document);
    void queryClient.invalidateQueries({ queryKey: ['documents'] });
  };
  const claim = useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/api/v1/admin/documents/{id}/claim', { params: { path: { id } } })),
    onSuccess: (document) => (decided(document), setFocusNext(verifyButton)),
  });
  const verify = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/admin/documents/{id}/review', {
          params: { path: { id } },
          body: { decision: 'verify', reasonCode: 'document_valid' },
        }),
      ),
    onSuccess: (document) => (decided(document), setFocusNext(status)),
  });
  const [rejecting, setRejecting] = useState(false);
  const [revealing, setRevealing] = useState(false);

  if (query.isPending) return <Loading />;
  if (query.error) {
    return (
      <section>
        <h1>Document</h1>
        <ErrorMessage error={query.error} />
        <Link to="/documents">Back to documents</Link>
      </section>
    );
  }
  const document = query.data;
  const open = document.status === 'pending' || document.status === 'in_review';
  return (
    <section aria-labelledby="document-heading">
      <p>
        <Link to="/documents">Back to documents</Link>
      </p>
      <h1 id="document-heading">{document.holderName}</h1>
      <p role="status" tabIndex={-1} ref={status}>
        Status: <strong>{humanize(document.status)}</strong>
        {document.reviewReasonCode && <> ({humanize(document.reviewReasonCode)})</>}
      </p>
      <div className="side-by-side">
        <Scans documentId={document.id} files={filesOf(document)} />
        <section aria-labelledby="fields-heading">
          <h2 id="fields-heading">Typed fields</h2>
          <dl className="fields">
            <dt>Type</dt>
            <dd>{humanize(document.type)}</dd>
            <dt>Holder name</dt>
            <dd>{document.holderName}</dd>
            <dt>Number</dt>
            <dd>{document.numberMasked}</dd>
            <dt>Issuing country</dt>
            <dd>{document.issuingCountry}</dd>
            <dt>Issuing authority</dt>
            <dd>{document.issuingAuthority ?? '—'}</dd>
            <dt>Nationality</dt>
            <dd>{document.nationality ?? '—'}</dd>
            <dt>Date of birth</dt>
            <dd>{formatDate(document.dateOfBirth)}</dd>
            <dt>Issue date</dt>
            <dd>{formatDate(document.issueDate)}</dd>
            <dt>Expiry date</dt>
            <dd>{formatDate(document.expiryDate)}</dd>
            <dt>Belongs to</dt>
            <dd>
              {document.kind === 'traveler' ? 'A traveler of an account' : 'An account holder'}
            </dd>
            <dt>Submitted</dt>
            <dd>{formatDateTime(document.createdAt)}</dd>
            <dt>Claimed</dt>
            <dd>{document.claimedAt ? formatDateTime(document.claimedAt) : 'Not claimed'}</dd>
          </dl>
        </section>
      </div>

      <div className="actions">
        {document.status === 'pending' && (
          <button type="button" onClick={() => claim.mutate()} disabled={claim.isPending}>
            Claim
          </button>
        )}
        {open && (
          <button
            type="button"
            ref={verifyButton}
            onClick={() => verify.mutate()}
            disabled={verify.isPending}
          >
            Verify
          </button>
        )}
        {open && (
          <button
            type="button"
            ref={rejectButton}
            aria-expanded={rejecting}
            onClick={() => setRejecting(true)}
          >
            Reject
          </button>
        )}
        <button
          type="button"
          ref={revealButton}
          aria-expanded={revealing}
          onClick={() => setRevealing(true)}
        >
          Reveal number
        </button>
      </div>
      <ErrorMessage error={claim.error} />
      <ErrorMessage error={verify.error} />
      {rejecting && open && (
        <RejectForm
          id={document.id}
          onDone={(next) => (decided(next), setRejecting(false), setFocusNext(status))}
          onCancel={() => (setRejecting(false), rejectButton.current?.focus())}
        />
      )}
      {revealing && (
        <RevealForm
          id={document.id}
          onClose={() => (setRevealing(false), revealButton.current?.focus())}
        />
      )}

      <section aria-labelledby="history-heading">
        <h2 id="history-heading">Review history</h2>
        {document.reviews.length === 0 ? (
          <p className="muted">No decisions yet.</p>
        ) : (
          <ol>
            {document.reviews.map((review) => (
              <li key={review.id}>
                {formatDateTime(review.createdAt)}: {humanize(review.decision)} (
                {humanize(review.reasonCode)}){review.note ? ` — ${review.note}` : ''}
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}

function RejectForm({
  id,
  onDone,
  onCancel,
}: {
  id: string;
  onDone: (document: Detail) => void;
  onCancel: () => void;
}) {
  const [reasonCode, setReasonCode] = useState<ReasonCode>('illegible');
  const [note, setNote] = useState('');
  const reject = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/admin/documents/{id}/review', {
          params: { path: { id } },
          body: { decision: 'reject', reasonCode, note: note.trim() || undefined },
        }),
      ),
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reject.mutate();
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="reject-heading" noValidate>
      <h2 id="reject-heading">Reject this document</h2>
      <SelectField
        label="Reason"
        autoFocus
        value={reasonCode}
        onChange={(event) => setReasonCode(event.target.value as ReasonCode)}
        field="reasonCode"
        error={reject.error}
        options={REJECT_REASONS.map((value) => ({ value, label: humanize(value) }))}
      />
      <TextAreaField
        label="Note"
        value={note}
        onChange={(event) => setNote(event.target.value)}
        maxLength={2000}
        field="note"
        error={reject.error}
      />
      <ErrorMessage error={reject.error} fields={['reasonCode', 'note']} />
      <button type="submit" disabled={reject.isPending}>
        Reject document
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}

function RevealForm({ id, onClose }: { id: string; onClose: () => void }) {
  const [reason, setReason] = useState('');
  const reveal = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/admin/documents/{id}/reveal', {
          params: { path: { id } },
          body: { reason: reason.trim() },
        }),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reveal.mutate();
  };
  return (
    <form onSubmit={submit} className="card" aria-labelledby="reveal-heading" noValidate>
      <h2 id="reveal-heading">Reveal the full number</h2>
      <p>The reason is recorded in the audit log.</p>
      <ReasonField value={reason} onChange={setReason} error={reveal.error} />
      {reveal.data && (
        <p role="status">
          Full number: <strong className="secret">{reveal.data.number}</strong>
        </p>
      )}
      <button type="submit" disabled={reveal.isPending}>
        Reveal
      </button>{' '}
      <button type="button" onClick={onClose}>
        Close
      </button>
    </form>
  );
}
