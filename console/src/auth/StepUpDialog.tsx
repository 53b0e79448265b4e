import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, session, setStepUpHandler, unwrap } from '../api/client';
import { Field } from '../components/Field';
import { ErrorMessage } from '../components/States';

type Pending = { resolve: (done: boolean) => void };

/**
 * The step-up dialog: shown when an action answers 403 REAUTHENTICATION_REQUIRED. The person
 * gives their password and authentication code; the console session gets a fresh token (and
 * its refresh cookie follows the rotated refresh token), then the action is retried once.
 */
export function StepUpDialog() {
  const [pending, setPending] = useState<Pending | null>(null);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(
    () =>
      setStepUpHandler(
        () =>
          new Promise<boolean>((resolve) => {
            setPassword('');
            setCode('');
            setError(null);
            setPending({ resolve });
          }),
      ),
    [],
  );

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (pending && !element.open) element.showModal();
    if (!pending && element.open) element.close();
  }, [pending]);

  const finish = (done: boolean) => {
    pending?.resolve(done);
    setPending(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const tokens = unwrap(
        await api.POST('/api/v1/auth/console/reauthenticate', {
          body: { password: password || undefined, code: code.trim() || undefined },
        }),
      );
      session.setToken(tokens.accessToken);
      finish(true);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      aria-labelledby="step-up-heading"
      onCancel={(event) => {
        event.preventDefault();
        finish(false);
      }}
    >
      {pending && (
        <form onSubmit={submit} noValidate>
          <h2 id="step-up-heading">Confirm it is you</h2>
          <p>This action needs a recent sign-in. Enter your password and authentication code.</p>
          <Field
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            field="password"
            error={error}
          />
          <Field
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            value={code}
            onChange={(event) => setCode(event.target.value)}
            field="code"
            error={error}
          />
          <ErrorMessage error={error} fields={['password', 'code']} />
          <button type="submit" disabled={busy}>
            Confirm
          </button>{' '}
          <button type="button" onClick={() => finish(false)}>
            Cancel
          </button>
        </form>
      )}
    </dialog>
  );
}
