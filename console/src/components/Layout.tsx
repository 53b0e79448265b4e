import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
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

export function Layout({ children }: { children: ReactNode }) {
  const user = useUser();
  const { signOut } = useAuth();
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
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
