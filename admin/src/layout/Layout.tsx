import { Box, Typography } from "@mui/material";
import type { ReactNode } from "react";
import { AppBar, Layout as RaLayout, TitlePortal, UserMenu, Logout, useGetIdentity } from "react-admin";

export const PRODUCT_NAME = "Boxoffice — promoter console";

/** Who is signed in, under the avatar: name, email and role. */
function IdentityLine() {
  const { identity } = useGetIdentity();
  if (!identity) return null;
  return (
    <Box sx={{ px: 2, py: 1 }} data-testid="identity">
      <Typography variant="subtitle2">{identity.fullName}</Typography>
      <Typography variant="body2" color="text.secondary">
        {String(identity.email)} · {String(identity.role).toLowerCase()}
      </Typography>
    </Box>
  );
}

function ConsoleAppBar() {
  return (
    <AppBar
      userMenu={
        <UserMenu>
          <IdentityLine />
          <Logout />
        </UserMenu>
      }
    >
      <Typography variant="h6" component="span" sx={{ fontWeight: 600, mr: 3, whiteSpace: "nowrap" }}>
        {PRODUCT_NAME}
      </Typography>
      <TitlePortal variant="body1" sx={{ opacity: 0.85 }} />
    </AppBar>
  );
}

export const Layout = ({ children }: { children: ReactNode }) => <RaLayout appBar={ConsoleAppBar}>{children}</RaLayout>;
