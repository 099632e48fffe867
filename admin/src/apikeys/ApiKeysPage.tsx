/**
 * Partner API keys of the promoter's organization: make one (name and scopes; an admin also picks the
 * organization), see it once with a copy button, and revoke keys at once. The list shows each key by
 * its prefix and last four characters, with when it was made and last used.
 */
import {
  Alert,
  Box,
  Button,
  Card,
  Checkbox,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  FormGroup,
  MenuItem,
  Stack,
  Switch,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  TextField,
  Typography,
} from "@mui/material";
import { useCallback, useEffect, useState } from "react";
import { Title, usePermissions } from "react-admin";
import { transport } from "../shared/providers";
import { apiKeysApi, SCOPE_HELP, type ApiKeyRecord } from "./api-keys-api";

const api = apiKeysApi(transport);
const when = (value: string | null) => (value ? new Date(value).toLocaleString() : "never");

function NewKeyDialog({ isAdmin, onMade, onClose }: { isAdmin: boolean; onMade(): void; onClose(): void }) {
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["catalogue:read"]);
  const [organizations, setOrganizations] = useState<{ id: string; name: string }[]>([]);
  const [organizationId, setOrganizationId] = useState("");
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (isAdmin) api.organizations().then(setOrganizations, () => setOrganizations([]));
  }, [isAdmin]);

  async function make() {
    setBusy(true);
    setError(null);
    try {
      const made = await api.create({ name, scopes, ...(isAdmin ? { organizationId } : {}) });
      setKey(made.key);
      onMade();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The key could not be made");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>{key ? "Your new API key" : "New API key"}</DialogTitle>
      <DialogContent>
        {key ? (
          <Stack spacing={2}>
            <Alert severity="warning">Copy it now and hand it to the partner securely: it is shown only this once.</Alert>
            <Box component="code" data-testid="new-api-key" sx={{ p: 1.5, bgcolor: "grey.100", borderRadius: 1, wordBreak: "break-all", fontSize: 14 }}>
              {key}
            </Box>
            <Typography variant="body2" color="text.secondary">
              Partners send it as <code>Authorization: Bearer {key.slice(0, 12)}…</code> to /graphql (and in graphql-ws connectionParams).
            </Typography>
          </Stack>
        ) : (
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField label="Name" value={name} onChange={(event) => setName(event.target.value)} helperText="Who or what uses it, e.g. the partner's name" />
            {isAdmin && (
              <TextField select label="Organization" value={organizationId} onChange={(event) => setOrganizationId(event.target.value)}>
                {organizations.map((organization) => (
                  <MenuItem key={organization.id} value={organization.id}>
                    {organization.name}
                  </MenuItem>
                ))}
              </TextField>
            )}
            <FormGroup>
              {Object.entries(SCOPE_HELP).map(([scope, help]) => (
                <FormControlLabel
                  key={scope}
                  control={<Checkbox checked={scopes.includes(scope)} onChange={(event) => setScopes(event.target.checked ? [...scopes, scope] : scopes.filter((s) => s !== scope))} />}
                  label={
                    <span>
                      <code>{scope}</code> — {help}
                    </span>
                  }
                />
              ))}
            </FormGroup>
          </Stack>
        )}
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {key ? (
          <>
            <Button onClick={() => void navigator.clipboard?.writeText(key)}>Copy</Button>
            <Button variant="contained" onClick={onClose}>
              Done
            </Button>
          </>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="contained" onClick={make} disabled={busy || name.trim() === "" || scopes.length === 0}>
              Make key
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}

export function ApiKeysPage() {
  const { permissions } = usePermissions<string>();
  const [keys, setKeys] = useState<ApiKeyRecord[]>([]);
  const [includeRevoked, setIncludeRevoked] = useState(false);
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKeyRecord | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.list(includeRevoked).then(setKeys, (failure: unknown) => setError(failure instanceof Error ? failure.message : "The keys could not be loaded"));
  }, [includeRevoked]);
  useEffect(load, [load]);

  async function revoke(key: ApiKeyRecord) {
    setError(null);
    try {
      await api.revoke(key.id);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The key could not be revoked");
    }
    setRevoking(null);
    load();
  }

  return (
    <Card sx={{ mt: 2, p: 2 }}>
      <Title title="API keys" />
      <Stack direction="row" spacing={2} sx={{ alignItems: "center", mb: 2 }}>
        <Typography variant="h6" component="h2" sx={{ flex: 1 }}>
          Partner API keys
        </Typography>
        <FormControlLabel control={<Switch checked={includeRevoked} onChange={(event) => setIncludeRevoked(event.target.checked)} />} label="Show revoked" />
        <Button variant="contained" onClick={() => setCreating(true)}>
          New key
        </Button>
      </Stack>
      {error && (
        <Alert severity="error" sx={{ mb: 2 }}>
          {error}
        </Alert>
      )}
      <Table size="small" aria-label="API keys">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Key</TableCell>
            <TableCell>Scopes</TableCell>
            <TableCell>Made</TableCell>
            <TableCell>Last used</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {keys.length === 0 && (
            <TableRow>
              <TableCell colSpan={6}>No keys yet. Make one for each partner integration.</TableCell>
            </TableRow>
          )}
          {keys.map((key) => (
            <TableRow key={key.id} sx={key.revokedAt ? { opacity: 0.55 } : undefined}>
              <TableCell>{key.name}</TableCell>
              <TableCell>
                <code>
                  {key.prefix}…{key.lastFour}
                </code>
              </TableCell>
              <TableCell>
                {key.scopes.map((scope) => (
                  <Chip key={scope} label={scope} size="small" sx={{ mr: 0.5 }} />
                ))}
              </TableCell>
              <TableCell>
                {when(key.createdAt)}
                {key.createdByEmail ? ` by ${key.createdByEmail}` : ""}
              </TableCell>
              <TableCell>{when(key.lastUsedAt)}</TableCell>
              <TableCell align="right">
                {key.revokedAt ? (
                  `revoked ${when(key.revokedAt)}`
                ) : (
                  <Button color="error" onClick={() => setRevoking(key)} aria-label={`Revoke ${key.name}`}>
                    Revoke
                  </Button>
                )}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {creating && <NewKeyDialog isAdmin={permissions === "ADMIN"} onMade={load} onClose={() => setCreating(false)} />}
      {revoking && (
        <Dialog open onClose={() => setRevoking(null)}>
          <DialogTitle>Revoke “{revoking.name}”?</DialogTitle>
          <DialogContent>Every request with this key is refused within a second. This cannot be undone; make a new key instead.</DialogContent>
          <DialogActions>
            <Button onClick={() => setRevoking(null)}>Cancel</Button>
            <Button color="error" variant="contained" onClick={() => void revoke(revoking)}>
              Revoke
            </Button>
          </DialogActions>
        </Dialog>
      )}
    </Card>
  );
}
