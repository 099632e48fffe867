/** The console's home page: a welcome, and where each event's live sale dashboard is opened. */
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
          Manage your organization&apos;s events, venues, orders and prices from the menu. Each event&apos;s live sale dashboard opens from its page: Events, pick the event, then Live dashboard.
        </Typography>
      </CardContent>
    </Card>
  );
}
