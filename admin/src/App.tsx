import { Admin, CustomRoutes, Resource, defaultTheme, type RaThemeOptions } from "react-admin";
import { Route } from "react-router";
import { apiKeys } from "./apikeys/api-keys-resource";
import { audit } from "./audit/audit-resource";
import { Dashboard } from "./dashboard/Dashboard";
import { events } from "./events/events-resource";
import { Layout, PRODUCT_NAME } from "./layout/Layout";
import { LoginPage } from "./layout/LoginPage";
import { LiveDashboard } from "./live/LiveDashboard";
import { orders } from "./orders/orders-resource";
import { organizations } from "./organizations/organizations-resource";
import { authProvider, dataProvider } from "./shared/providers";
import { users } from "./users/users-resource";
import { venues } from "./venues/venues-resource";

const theme: RaThemeOptions = {
  ...defaultTheme,
  palette: { primary: { main: "#1f2a44" }, secondary: { main: "#5b3df5" }, background: { default: "#f5f6fa" } },
  shape: { borderRadius: 8 },
};

export function App() {
  return (
    <Admin
      title={PRODUCT_NAME}
      dataProvider={dataProvider}
      authProvider={authProvider}
      loginPage={LoginPage}
      dashboard={Dashboard}
      layout={Layout}
      theme={theme}
      requireAuth
      disableTelemetry
    >
      {(permissions: string | null) => (
        <>
          <Resource name="events" {...events} />
          <Resource name="venues" {...venues} />
          <Resource name="orders" {...orders} />
          <Resource name="audit" {...audit} />
          <Resource name="api-keys" {...apiKeys} />
          {/* Accounts and organizations are the platform's, managed by admins (the API refuses anyone else too). */}
          {permissions === "ADMIN" && <Resource name="users" {...users} />}
          {permissions === "ADMIN" && <Resource name="organizations" {...organizations} />}
          <CustomRoutes>
            <Route path="/events/:id/live" element={<LiveDashboard />} />
          </CustomRoutes>
        </>
      )}
    </Admin>
  );
}
