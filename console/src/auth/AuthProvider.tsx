import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
} from 'react';
import { api, type Schemas, session, unwrap } from '../api/client';

export type User = Schemas['UserResponseDto'];
export type Role = User['roles'][number];

type AuthState =
  | { status: 'restoring' }
  | { status: 'signed-out'; expired: boolean }
  | { status: 'signed-in'; user: User };

interface AuthContextValue {
  state: AuthState;
  /** After a successful console sign-in: the token is already in the session. */
  signedIn(user: User): void;
  reloadUser(): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}

export function useUser(): User {
  const { state } = useAuth();
  if (state.status !== 'signed-in') throw new Error('useUser while signed out');
  return state.user;
}

export function hasRole(user: User, role: Role): boolean {
  return user.roles.includes(role);
}

export function isStaff(user: User): boolean {
  return hasRole(user, 'admin') || hasRole(user, 'compliance');
}

async function fetchMe(): Promise<User> {
  return unwrap(await api.GET('/api/v1/auth/me'));
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: 'restoring' });
  const queryClient = useQueryClient();

  // A reload: the access token is gone with the page, the refresh cookie is not.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const restored = await session.refresh();
      if (cancelled) return;
      if (!restored) {
        setState({ status: 'signed-out', expired: false });
        return;
      }
      try {
        const user = await fetchMe();
        if (!cancelled) setState({ status: 'signed-in', user });
      } catch {
        if (!cancelled) setState({ status: 'signed-out', expired: false });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  // The session ended during work (refresh refused): sign-in at the same URL.
  useEffect(
    () =>
      session.onExpired(() => {
        queryClient.clear();
        setState({ status: 'signed-out', expired: true });
      }),
    [queryClient],
  );

  const signedIn = useCallback((user: User) => setState({ status: 'signed-in', user }), []);

  const reloadUser = useCallback(async () => {
    const user = await fetchMe();
    setState({ status: 'signed-in', user });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api.POST('/api/v1/auth/console/logout');
    } finally {
      session.clear();
      queryClient.clear();
      setState({ status: 'signed-out', expired: false });
    }
  }, [queryClient]);

  const value = useMemo(
    () => ({ state, signedIn, reloadUser, signOut }),
    [state, signedIn, reloadUser, signOut],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
