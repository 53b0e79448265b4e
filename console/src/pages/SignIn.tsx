import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, session, unwrap } from '../api/client';
import { ApiError } from '../api/problem';
import { type User, useAuth } from '../auth/AuthProvider';
import { Field } from '../components/Field';
import { ErrorMessage } from '../components/States';

interface Credentials {
  email: string;
  password: string;
  code: string;
}

const codeNeeded = (): ApiError =>
  new ApiError({
    title: 'Authentication code required',
    status: 400,
    code: 'MFA_CODE_REQUIRED',
    detail: 'Enter the code from your authenticator app.',
    errors: { code: ['Enter the 6-digit code from your authenticator app (or a backup code).'] },
  });

async function signIn({ email, password, code }: Credentials): Promise<User> {
  const first = unwrap(await api.POST('/api/v1/auth/console/login', { body: { email, password } }));
  if ('mfaRequired' in first) {
    if (code.trim() === '') throw codeNeeded();
    const second = unwrap(
      await api.POST('/api/v1/auth/console/login/mfa', {
        body: { mfaToken: first.mfaToken, code: code.trim() },
      }),
    );
    session.setToken(second.accessToken);
    return second.user;
  }
  session.setToken(first.accessToken);
  return first.user;
}

/** Email, password and authentication code (needed once two-step sign-in is on). */
export function SignIn({ expired }: { expired: boolean }) {
  const { signedIn } = useAuth();
  const [credentials, setCredentials] = useState<Credentials>({
    email: '',
    password: '',
    code: '',
  });
  const mutation = useMutation({ mutationFn: signIn, onSuccess: signedIn });
  const set = (key: keyof Credentials) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setCredentials((current) => ({ ...current, [key]: event.target.value }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(credentials);
  };
  return (
    <main id="main" className="centered">
      <h1>Pathavana staff console</h1>
      {expired && (
        <p role="status" className="notice">
          Your session has ended. Sign in again to continue where you were.
        </p>
      )}
      <form onSubmit={submit} className="card" aria-labelledby="sign-in-heading" noValidate>
        <h2 id="sign-in-heading">Sign in</h2>
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          required
          value={credentials.email}
          onChange={set('email')}
          field="email"
          error={mutation.error}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={credentials.password}
          onChange={set('password')}
          field="password"
          error={mutation.error}
        />
        <Field
          label="Authentication code"
          inputMode="numeric"
          autoComplete="one-time-code"
          hint="From your authenticator app. Leave empty if you have not set one up yet."
          value={credentials.code}
          onChange={set('code')}
          field="code"
          error={mutation.error}
        />
        <ErrorMessage error={mutation.error} fields={['email', 'password', 'code']} />
        <button type="submit" disabled={mutation.isPending}>
          Sign in
        </button>
      </form>
    </main>
  );
}
