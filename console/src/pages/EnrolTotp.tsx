import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { api, unwrap } from '../api/client';
import { useAuth, useUser } from '../auth/AuthProvider';
import { Field } from '../components/Field';
import { ErrorMessage, Loading } from '../components/States';

/** The otpauth URI as an SVG QR code behind a blob: URL (the CSP allows no data: images). */
function useQrCode(uri: string | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!uri) return;
    let objectUrl: string | undefined;
    let cancelled = false;
    void import('qrcode').then(async (QRCode) => {
      const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
      if (cancelled) return;
      objectUrl = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
      setUrl(objectUrl);
    });
    return () => {
      cancelled = true;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [uri]);
  return url;
}

/** Staff sign in with two steps: a staff member without TOTP sets it up before working. */
export function EnrolTotp() {
  const user = useUser();
  const { reloadUser, signOut } = useAuth();
  const [code, setCode] = useState('');
  const setup = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/v1/auth/mfa/totp/setup')),
  });
  const enable = useMutation({
    mutationFn: async (value: string) =>
      unwrap(await api.POST('/api/v1/auth/mfa/totp/enable', { body: { code: value } })),
  });
  const { mutate: startSetup } = setup;
  useEffect(() => startSetup(), [startSetup]);
  const qr = useQrCode(setup.data?.otpauthUri);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    enable.mutate(code.trim());
  };

  if (enable.data) {
    return (
      <main id="main" className="centered">
        <h1>Two-step sign-in is on</h1>
        <p>
          Keep these backup codes somewhere safe. Each works once, if you lose your authenticator.
          They are not shown again.
        </p>
        <ul className="codes" aria-label="Backup codes">
          {enable.data.backupCodes.map((backup) => (
            <li key={backup}>
              <code>{backup}</code>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void reloadUser()}>
          Continue to the console
        </button>
      </main>
    );
  }

  return (
    <main id="main" className="centered">
      <h1>Set up two-step sign-in</h1>
      <p>
        Staff accounts ({user.email}) sign in with an authentication code. Scan the QR code with an
        authenticator app, then enter the code it shows.
      </p>
      {setup.isPending && <Loading label="Preparing your authenticator key…" />}
      <ErrorMessage error={setup.error} />
      {setup.data && (
        <form onSubmit={submit} className="card" noValidate>
          {qr ? (
            <img
              src={qr}
              width={200}
              height={200}
              alt="QR code for your authenticator app (the key is also written below)"
            />
          ) : (
            <Loading label="Drawing the QR code…" />
          )}
          <p>
            Or enter this key by hand: <code className="secret">{setup.data.secret}</code>
          </p>
          <Field
            label="Authentication code"
            inputMode="numeric"
            autoComplete="one-time-code"
            required
            value={code}
            onChange={(event) => setCode(event.target.value)}
            field="code"
            error={enable.error}
          />
          <ErrorMessage error={enable.error} fields={['code']} />
          <button type="submit" disabled={enable.isPending}>
            Turn on two-step sign-in
          </button>
        </form>
      )}
      <button type="button" className="link" onClick={() => void signOut()}>
        Sign out
      </button>
    </main>
  );
}
