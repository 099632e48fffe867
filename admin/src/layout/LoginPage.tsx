/** Email and password sign-in; a refusal (wrong credentials, a fan's account) shows in the form. */
import { Alert, Box, Button, Card, CardContent, TextField, Typography } from "@mui/material";
import { useState, type FormEvent } from "react";
import { useLogin } from "react-admin";
import { PRODUCT_NAME } from "./Layout";

export function LoginPage() {
  const login = useLogin();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login({ email, password });
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "Sign-in failed; please try again.");
      setBusy(false);
    }
  }

  return (
    <Box sx={{ minHeight: "100vh", display: "grid", placeItems: "center", bgcolor: "#eef1f6" }}>
      <Card sx={{ width: 380 }} component="form" onSubmit={submit}>
        <CardContent sx={{ display: "grid", gap: 2, p: 4 }}>
          <Typography variant="h5" component="h1">
            {PRODUCT_NAME}
          </Typography>
          <Typography variant="body2" color="text.secondary">
            Sign in with your promoter or admin account.
          </Typography>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          <TextField label="Email" type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
          <TextField label="Password" type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
          <Button type="submit" variant="contained" size="large" disabled={busy}>
            Sign in
          </Button>
        </CardContent>
      </Card>
    </Box>
  );
}
