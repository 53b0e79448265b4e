import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes } from 'react-router';
import { hasRole, isStaff, useAuth } from './auth/AuthProvider';
import { Layout } from './components/Layout';
import { Loading } from './components/States';
import { EnrolTotp } from './pages/EnrolTotp';
import { NotStaff } from './pages/NotStaff';
import { StepUpDialog } from './auth/StepUpDialog';
import { SignIn } from './pages/SignIn';
import { DocumentsPage } from './pages/DocumentsPage';
import { DocumentPage } from './pages/DocumentPage';

// Screens used less often load on demand (keeps the first load small).
const UsersPage = lazy(() => import('./pages/UsersPage'));
const BookingsPage = lazy(() => import('./pages/BookingsPage'));
const BookingPage = lazy(() => import('./pages/BookingPage'));
const ConsentRecordsPage = lazy(() => import('./pages/ConsentRecordsPage'));
const ConsentNoticesPage = lazy(() => import('./pages/ConsentNoticesPage'));
const PrivacyRequestsPage = lazy(() => import('./pages/PrivacyRequestsPage'));
const PrivacyRequestPage = lazy(() => import('./pages/PrivacyRequestPage'));
const AuditLogPage = lazy(() => import('./pages/AuditLogPage'));
const RetentionPage = lazy(() => import('./pages/RetentionPage'));

export function App() {
  const { state } = useAuth();
  if (state.status === 'restoring') {
    return (
      <main className="centered">
        <Loading label="Opening the console…" />
      </main>
    );
  }
  // Signed out (or the session ended): sign-in right here, so the URL is kept.
  if (state.status === 'signed-out') return <SignIn expired={state.expired} />;
  const user = state.user;
  if (!isStaff(user)) return <NotStaff />;
  if (!user.mfaEnabled) return <EnrolTotp />;

  const admin = hasRole(user, 'admin');
  const compliance = hasRole(user, 'compliance');
  const home = admin ? '/documents' : '/consent-records';
  return (
    <Layout>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<Navigate to={home} replace />} />
          {admin && (
            <>
              <Route path="/documents" element={<DocumentsPage />} />
              <Route path="/documents/:id" element={<DocumentPage />} />
              <Route path="/users" element={<UsersPage />} />
              <Route path="/bookings" element={<BookingsPage />} />
              <Route path="/bookings/:id" element={<BookingPage />} />
            </>
          )}
          {compliance && (
            <>
              <Route path="/consent-records" element={<ConsentRecordsPage />} />
              <Route path="/consent-notices" element={<ConsentNoticesPage />} />
              <Route path="/privacy-requests" element={<PrivacyRequestsPage />} />
              <Route path="/privacy-requests/:id" element={<PrivacyRequestPage />} />
              <Route path="/audit-log" element={<AuditLogPage />} />
              <Route path="/retention" element={<RetentionPage />} />
            </>
          )}
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
      <StepUpDialog />
    </Layout>
  );
}

function NotFound() {
  return (
    <section aria-labelledby="not-found">
      <h1 id="not-found">Page not found</h1>
      <p>This page does not exist, or your roles do not include it.</p>
    </section>
  );
}
