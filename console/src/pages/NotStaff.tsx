import { useAuth, useUser } from '../auth/AuthProvider';

export function NotStaff() {
  const user = useUser();
  const { signOut } = useAuth();
  return (
    <main id="main" className="centered">
      <h1>This console is for Pathavana staff</h1>
      <p>
        You are signed in as {user.email}, which has no staff role. Use the Pathavana app to plan
        and book your travel.
      </p>
      <button type="button" onClick={() => void signOut()}>
        Sign out
      </button>
    </main>
  );
}
