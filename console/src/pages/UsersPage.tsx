import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, type Schemas, unwrap } from '../api/client';
import { useUser } from '../auth/AuthProvider';
import { Field, ReasonField } from '../components/Field';
import { ListTable, usePagedList } from '../components/ListTable';
import { useUrlFilter } from '../components/Pager';
import { ErrorMessage } from '../components/States';
import { formatDateTime, humanize } from '../format';

type AdminUser = Schemas['AdminUserResponseDto'];
type Role = AdminUser['roles'][number];
const ROLES: readonly Role[] = ['user', 'admin', 'compliance'];

export default function UsersPage() {
  const [email, setEmail] = useUrlFilter('email');
  const [draft, setDraft] = useState(email);
  const query = usePagedList('users', { email }, async (cursor) =>
    unwrap(
      await api.GET('/api/v1/admin/users', {
        params: { query: { limit: 25, cursor, email: email || undefined } },
      }),
    ),
  );
  const search = (event: FormEvent) => {
    event.preventDefault();
    setEmail(draft.trim());
  };
  return (
    <section aria-labelledby="users-heading">
      <h1 id="users-heading">Users</h1>
      <form className="filters" onSubmit={search} role="search">
        <Field
          label="Search by email"
          type="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit">Search</button>
      </form>
      <ListTable
        query={query}
        caption="Accounts"
        columns={['Email', 'Name', 'Status', 'Roles', 'Last sign-in', 'Actions']}
        empty="No users match."
        row={(user) => <UserRow key={user.id} user={user} />}
      />
    </section>
  );
}

function UserRow({ user }: { user: AdminUser }) {
  const me = useUser();
  const queryClient = useQueryClient();
  const done = () => void queryClient.invalidateQueries({ queryKey: ['users'] });
  const path = { params: { path: { id: user.id } } };
  const setStatus = useMutation({
    mutationFn: async (status: 'active' | 'suspended') =>
      unwrap(await api.PATCH('/api/v1/admin/users/{id}', { ...path, body: { status } })),
    onSuccess: done,
  });
  // An action whose button goes away when it succeeds (Unlock, Reset MFA) says so in a status
  // message that takes the focus: otherwise the focus would fall back to <body>.
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (notice) noticeRef.current?.focus();
  }, [notice]);
  const unlock = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/admin/users/{id}/unlock', path)),
    onSuccess: () => {
      setNotice(`${user.email} is unlocked.`);
      done();
    },
  });
  const setRoles = useMutation({
    mutationFn: async (roles: Role[]) =>
      unwrap(await api.PUT('/api/v1/admin/users/{id}/roles', { ...path, body: { roles } })),
    onSuccess: done,
  });
  const [resetting, setResetting] = useState(false);
  const resetButton = useRef<HTMLButtonElement>(null);
  const self = user.id === me.id;
  const locked = user.lockedUntil !== null && new Date(user.lockedUntil) > new Date();
  const suspended = user.status === 'suspended';
  return (
    <tr>
      <td>{user.email}</td>
      <td>{user.fullName}</td>
      <td>
        {humanize(user.status)}
        {locked && ' (locked)'}
      </td>
      <td>
        <fieldset className="inline" disabled={self || setRoles.isPending}>
          <legend className="visually-hidden">Roles of {user.email}</legend>
          {ROLES.map((role) => (
            <label key={role}>
              <input
                type="checkbox"
                checked={user.roles.includes(role)}
                onChange={(event) =>
                  setRoles.mutate(
                    event.target.checked
                      ? [...user.roles, role]
                      : user.roles.filter((current) => current !== role),
                  )
                }
              />{' '}
              {role}
            </label>
          ))}
        </fieldset>
        {self && <span className="hint">Not your own roles</span>}
        <ErrorMessage error={setRoles.error} />
      </td>
      <td>{formatDateTime(user.lastLoginAt)}</td>
      <td>
        {!self && (user.status === 'active' || user.status === 'suspended') && (
          // One button that changes its name, so it keeps the focus when the status flips.
          <button
            type="button"
            aria-label={`${suspended ? 'Reactivate' : 'Suspend'} ${user.email}`}
            onClick={() => setStatus.mutate(suspended ? 'active' : 'suspended')}
          >
            {suspended ? 'Reactivate' : 'Suspend'}
          </button>
        )}
        {locked && (
          <button type="button" aria-label={`Unlock ${user.email}`} onClick={() => unlock.mutate()}>
            Unlock
          </button>
        )}
        {!self && user.mfaEnabled && (
          <button
            type="button"
            ref={resetButton}
            aria-label={`Reset MFA for ${user.email}`}
            aria-expanded={resetting}
            onClick={() => setResetting(true)}
          >
            Reset MFA
          </button>
        )}
        <ErrorMessage error={setStatus.error ?? unlock.error} />
        {resetting && (
          <ResetMfaForm
            user={user}
            onDone={() => {
              setResetting(false);
              setNotice(`MFA reset for ${user.email}: they set it up again at their next sign-in.`);
              done();
            }}
            onCancel={() => (setResetting(false), resetButton.current?.focus())}
          />
        )}
        {notice && (
          <p role="status" tabIndex={-1} ref={noticeRef} className="hint">
            {notice}
          </p>
        )}
      </td>
    </tr>
  );
}

/** Clears a staff member's authenticator (lost phone): the reason goes into the audit trail. */
function ResetMfaForm({
  user,
  onDone,
  onCancel,
}: {
  user: AdminUser;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [reason, setReason] = useState('');
  const reset = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/v1/admin/users/{id}/mfa/reset', {
          params: { path: { id: user.id } },
          body: { reason: reason.trim() },
        }),
      ),
    onSuccess: onDone,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate();
  };
  return (
    <form onSubmit={submit} className="card" aria-label={`Reset MFA for ${user.email}`} noValidate>
      <ReasonField value={reason} onChange={setReason} error={reset.error} />
      <button type="submit" disabled={reset.isPending}>
        Confirm MFA reset
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </form>
  );
}
