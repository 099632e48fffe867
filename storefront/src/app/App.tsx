import { lazy, Suspense, useEffect, useRef } from "react";
import type { ReactNode } from "react";
import { Link, Navigate, NavLink, Route, Routes, useLocation } from "react-router";
import { useViewer } from "../modules/auth/hooks/use-viewer";
import { BusyBanner } from "./BusyBanner";
import { getToken, setToken } from "./session";

/**
 * Each page is its own chunk, fetched the first time its route is shown: the home page loads React,
 * the router, Apollo and its own code, not the seat map, checkout or the ticket QR codes (budget
 * 120 KB of JS gzipped, checked in e2e/build.test.ts). The pages are named exports, so each import
 * picks its page out as the module's default for React.lazy.
 */
const HomePage = lazy(() => import("../modules/catalogue/components/HomePage").then((module) => ({ default: module.HomePage })));
const SearchPage = lazy(() => import("../modules/search/components/SearchPage").then((module) => ({ default: module.SearchPage })));
const EventPage = lazy(() => import("../modules/catalogue/components/EventPage").then((module) => ({ default: module.EventPage })));
const WaitingRoomPage = lazy(() => import("../modules/waiting-room/components/WaitingRoomPage").then((module) => ({ default: module.WaitingRoomPage })));
const CheckoutPage = lazy(() => import("../modules/checkout/components/CheckoutPage").then((module) => ({ default: module.CheckoutPage })));
const OrdersPage = lazy(() => import("../modules/order/components/OrdersPage").then((module) => ({ default: module.OrdersPage })));
const OrderPage = lazy(() => import("../modules/order/components/OrderPage").then((module) => ({ default: module.OrderPage })));
const AuthPage = lazy(() => import("../modules/auth/components/AuthPage").then((module) => ({ default: module.AuthPage })));

export function App() {
  const { viewer } = useViewer();
  const location = useLocation();
  const main = useRef<HTMLDivElement>(null);

  // After navigation, move focus to the new page so screen readers announce it.
  useEffect(() => {
    main.current?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }, [location.pathname]);

  return (
    <>
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="site-header">
        <Link to="/" className="logo" aria-label="Boxoffice home">
          <span aria-hidden="true">▣</span> Boxoffice
        </Link>
        <nav aria-label="Main">
          <NavLink to="/search">Search</NavLink>
          {viewer ? (
            <>
              <NavLink to="/orders">My orders</NavLink>
              <span className="muted user-name" title={viewer.email}>
                {viewer.name}
              </span>
              <button type="button" className="link" onClick={() => setToken(null)}>
                Sign out
              </button>
            </>
          ) : (
            <>
              <NavLink to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`}>Sign in</NavLink>
              <NavLink to="/register">Register</NavLink>
            </>
          )}
        </nav>
      </header>
      <BusyBanner />
      <div id="content" ref={main} tabIndex={-1} className="content">
        {/* While a page's chunk loads (once per page): a polite status, not a blank page. */}
        <Suspense fallback={<p className="page muted" role="status">Loading…</p>}>
          <Routes>
            <Route path="/" element={<HomePage />} />
            <Route path="/search" element={<SearchPage />} />
            <Route path="/events/:eventId" element={<EventPage />} />
            <Route path="/events/:eventId/queue" element={<WaitingRoomPage />} />
            <Route path="/checkout/:holdId" element={<SignedIn><CheckoutPage /></SignedIn>} />
            <Route path="/orders" element={<SignedIn><OrdersPage /></SignedIn>} />
            <Route path="/orders/:orderId" element={<SignedIn><OrderPage /></SignedIn>} />
            <Route path="/login" element={<AuthPage mode="login" />} />
            <Route path="/register" element={<AuthPage mode="register" />} />
            <Route
              path="*"
              element={
                <main className="page">
                  <h1>Page not found</h1>
                  <p>
                    <Link to="/">Back to all events</Link>
                  </p>
                </main>
              }
            />
          </Routes>
        </Suspense>
      </div>
      <footer className="site-footer">
        <p>Boxoffice — open-source ticketing. Prices include every fee before you pay.</p>
      </footer>
    </>
  );
}

/** Pages that belong to an account send a signed-out visitor to sign in, then back. */
function SignedIn({ children }: { children: ReactNode }) {
  const location = useLocation();
  if (getToken()) return children;
  return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
}
