/** Placeholder: the live sale dashboard (sales, holds and prices per section as they happen) comes next. */
import { Card, CardContent, Typography } from "@mui/material";
import { Title, useGetIdentity } from "react-admin";

export function Dashboard() {
  const { identity } = useGetIdentity();
  return (
    <Card sx={{ mt: 2 }}>
      <Title title="Dashboard" />
      <CardContent>
        <Typography variant="h5" component="h2" gutterBottom>
          Welcome{identity?.fullName ? `, ${identity.fullName}` : ""}
        </Typography>
        <Typography color="text.secondary">
          Manage your organization&apos;s events, venues and prices from the menu. The live sale dashboard will appear here.
        </Typography>
      </CardContent>
    </Card>
  );
}
