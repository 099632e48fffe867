import { lazy, Suspense, useEffect, useRef } from "react";
import type { ComponentType, ReactNode, RefObject } from "react";
import { Link, Navigate, NavLink, Route, Routes, useLocation } from "react-router";
import { useViewer } from "../modules/auth/hooks/use-viewer";
import { BusyBanner } from "./BusyBanner";
import { loadApolloPage, loadEventPage } from "./route-chunks";
import { getToken, setToken } from "./session";

/**
 * Each page is its own chunk, fetched the first time its route is shown: the home page loads React,
 * the router, a small fetch client (graphql-fetch.ts) and its own code — not Apollo, the seat map,
 * checkout or the ticket QR codes (budget 120 KB of JS gzipped, checked in e2e/build.test.ts). Every
 * other page comes with Apollo (ApolloPage.tsx), fetched in parallel with the page's own chunk; the
 * home page prefetches the event page's chunks once it is up and idle (route-chunks.ts). The
 * pages are named exports, so each import picks its page out as the module's default for React.lazy.
 */
function withApollo<Props extends object>(load: () => Promise<ComponentType<Props>>) {
  return lazy(async () => {
    const [{ ApolloPage }, Page] = await Promise.all([loadApolloPage(), load()]);
    return {
      default: (props: Props) => (
        <ApolloPage>
          <Page {...props} />
        </ApolloPage>
      ),
    };
  });
}

const HomePage = lazy(() => import("../modules/catalogue/components/HomePage").then((module) => ({ default: module.HomePage })));
const SearchPage = withApollo(() => import("../modules/search/components/SearchPage").then((module) => module.SearchPage));
const EventPage = withApollo(() => loadEventPage().then((module) => module.EventPage));
const WaitingRoomPage = withApollo(() => import("../modules/waiting-room/components/WaitingRoomPage").then((module) => module.WaitingRoomPage));
const CheckoutPage = withApollo(() => import("../modules/checkout/components/CheckoutPage").then((module) => module.CheckoutPage));
const OrdersPage = withApollo(() => import("../modules/order/components/OrdersPage").then((module) => module.OrdersPage));
const OrderPage = withApollo(() => import("../modules/order/components/OrderPage").then((module) => module.OrderPage));
const AuthPage = withApollo(() => import("../modules/auth/components/AuthPage").then((module) => module.AuthPage));

export function App() {
  const { viewer } = useViewer();
  const location = useLocation();
  const main = useRef<HTMLDivElement>(null);
  useFocusOnNavigation(main, location.pathname);

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

/**
 * After a route change (not the first load, where the skip link is the first stop), focus moves to the
 * new page's main heading, so a screen reader announces the page and the next Tab starts in it, and
 * the window scrolls to the top. Pages render their heading once their chunk and data arrive, so the
 * heading is awaited (up to a few seconds); the content container takes focus meanwhile. Focus is
 * moved only from where it was when the route changed (the link or button that navigated, or nothing):
 * focus the fan has put somewhere else since (typing in a field) is left alone.
 */
function useFocusOnNavigation(content: RefObject<HTMLDivElement | null>, pathname: string): void {
  // The path focus was last moved for; the first load's path counts as done (and StrictMode's second
  // run of the effect finds it done too).
  const handled = useRef(pathname);
  useEffect(() => {
    if (handled.current === pathname) return;
    handled.current = pathname;
    const container = content.current;
    if (!container) return;
    window.scrollTo(0, 0);
    const before = document.activeElement;
    const ours = () => !document.activeElement || [document.body, container, before].includes(document.activeElement);
    // The heading takes focus once the frame that first shows it is painted, not as it is inserted:
    // focus() lays the page out there and then, and the page's first frame (the event page's seat
    // map) would wait ~0.2 s more for it at 4× slower CPU (issue 27).
    let frame = 0;
    let later: ReturnType<typeof setTimeout> | null = null;
    const focusHeading = (): boolean => {
      const heading = container.querySelector<HTMLElement>("h1");
      if (!heading) return false;
      frame = requestAnimationFrame(() => {
        later = setTimeout(() => {
          // The heading as it is now (a render may have replaced the element).
          const shown = container.querySelector<HTMLElement>("h1");
          if (!shown || !ours()) return;
          if (!shown.hasAttribute("tabindex")) shown.setAttribute("tabindex", "-1");
          shown.focus({ preventScroll: true });
        }, 0);
      });
      return true;
    };
    if (ours()) container.focus({ preventScroll: true });
    const observer = new MutationObserver(() => {
      if (focusHeading()) observer.disconnect();
    });
    const timer = setTimeout(() => observer.disconnect(), 5_000);
    const stop = () => {
      observer.disconnect();
      clearTimeout(timer);
      cancelAnimationFrame(frame);
      if (later) clearTimeout(later);
    };
    if (focusHeading()) return stop;
    observer.observe(container, { childList: true, subtree: true });
    return stop;
  }, [content, pathname]);
}
