import { type ReactNode, useEffect, useRef } from 'react';
import { NavLink, useLocation } from 'react-router';
import { hasRole, useAuth, useUser } from '../auth/AuthProvider';

const ADMIN_LINKS = [
  { to: '/documents', label: 'Documents' },
  { to: '/users', label: 'Users' },
  { to: '/bookings', label: 'Bookings' },
];
const COMPLIANCE_LINKS = [
  { to: '/consent-records', label: 'Consent records' },
  { to: '/consent-notices', label: 'Consent notices' },
  { to: '/privacy-requests', label: 'Privacy requests' },
  { to: '/audit-log', label: 'Audit log' },
  { to: '/retention', label: 'Retention' },
];

/**
 * Keyboard and screen-reader users land at the start of the content when the screen changes
 * (a link they followed may be gone with the old screen, which would leave the focus nowhere),
 * and when the console opens after sign-in. A filter that only changes the query keeps the focus.
 */
function useFocusOnNavigation() {
  const main = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    const opening = first.current;
    first.current = false;
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (!opening || lost) main.current?.focus();
  }, [pathname]);
  return main;
}

export function Layout({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useAuth();
  const main = useFocusOnNavigation();
  const links = [
    ...(hasRole(user, 'admin') ? ADMIN_LINKS : []),
    ...(hasRole(user, 'compliance') ? COMPLIANCE_LINKS : []),
  ];
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Pathavana staff console</span>
        <nav aria-label="Console">
          <ul>
            {links.map((link) => (
              <li key={link.to}>
                <NavLink to={link.to}>{link.label}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {user.fullName} <span className="muted">({user.email})</span>
        </span>
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1} ref={main}>
        {children}
      </main>
    </>
  );
}
