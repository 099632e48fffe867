import { useEffect, useRef } from "react";
import type { ReactNode } from "react";
import { Link, Navigate, NavLink, Route, Routes, useLocation } from "react-router";
import { AuthPage } from "../modules/auth/components/AuthPage";
import { useViewer } from "../modules/auth/hooks/use-viewer";
import { EventPage } from "../modules/catalogue/components/EventPage";
import { HomePage } from "../modules/catalogue/components/HomePage";
import { CheckoutPage } from "../modules/checkout/components/CheckoutPage";
import { OrderPage } from "../modules/order/components/OrderPage";
import { OrdersPage } from "../modules/order/components/OrdersPage";
import { SearchPage } from "../modules/search/components/SearchPage";
import { WaitingRoomPage } from "../modules/waiting-room/components/WaitingRoomPage";
import { BusyBanner } from "./BusyBanner";
import { getToken, setToken } from "./session";

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
