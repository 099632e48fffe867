/**
 * An event's presale on its page: how many codes and verified fans it has and how many were used,
 * "Make access codes" (shown once, downloadable as CSV) and "Upload verified fans" (a CSV with an
 * email column, sent in pieces with progress, and a report of what was added and what was not).
 * Fans use either when they join the waiting room, while the event's presale switch is on.
 */
import { Alert, Box, Button, Card, CardContent, Dialog, DialogActions, DialogContent, DialogTitle, LinearProgress, Stack, TextField, Typography } from "@mui/material";
import { useCallback, useEffect, useRef, useState } from "react";
import { useRecordContext } from "react-admin";
import { transport } from "../shared/providers";
import { presaleApi, type ImportResult, type PresaleSummary } from "./presale-api";

const api = presaleApi(transport);

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

function CodesDialog({ eventId, slug, onDone, onClose }: { eventId: string; slug: string; onDone(summary: PresaleSummary): void; onClose(): void }) {
  const [count, setCount] = useState("100");
  const [maxUses, setMaxUses] = useState("1");
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function make() {
    setError(null);
    // Whole numbers only, said in words: a fraction sent as is came back as GraphQL's own error text
    // ("Int cannot represent non-integer value"). The ranges are the API's.
    const wanted = Number(count);
    const uses = Number(maxUses);
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > 5000) return setError("How many codes: a whole number from 1 to 5,000");
    if (!Number.isInteger(uses) || uses < 1 || uses > 1000) return setError("Uses per code: a whole number from 1 to 1,000");
    setBusy(true);
    try {
      const made = await api.createCodes(eventId, wanted, uses);
      setCodes(made.codes);
      onDone(made.presale);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The codes could not be made");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onClose={onClose} maxWidth="sm" fullWidth>
      <DialogTitle>Presale access codes</DialogTitle>
      <DialogContent>
        {codes === null ? (
          <Stack spacing={2} sx={{ mt: 1 }}>
            <TextField label="How many codes" type="number" value={count} onChange={(event) => setCount(event.target.value)} slotProps={{ htmlInput: { min: 1, max: 5000 } }} />
            <TextField label="Uses per code" type="number" value={maxUses} onChange={(event) => setMaxUses(event.target.value)} helperText="1: one fan per code" slotProps={{ htmlInput: { min: 1, max: 1000 } }} />
          </Stack>
        ) : (
          <Stack spacing={1}>
            <Alert severity="warning">Save these now: only their fingerprints are kept, so they cannot be shown again.</Alert>
            <Box component="pre" data-testid="presale-codes" sx={{ m: 0, p: 1, bgcolor: "grey.100", borderRadius: 1, maxHeight: 280, overflow: "auto", fontSize: 13 }}>
              {codes.join("\n")}
            </Box>
          </Stack>
        )}
        {error && (
          <Alert severity="error" sx={{ mt: 2 }}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        {codes === null ? (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="contained" onClick={make} disabled={busy}>
              Make codes
            </Button>
          </>
        ) : (
          <>
            <Button onClick={() => download(`${slug}-presale-codes.csv`, `code\n${codes.join("\n")}\n`)}>Download CSV</Button>
            <Button variant="contained" onClick={onClose}>
              Done
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

function ImportReport({ result }: { result: ImportResult }) {
  return (
    <Alert severity={result.unknownCount + result.invalidCount > 0 ? "warning" : "success"} data-testid="verified-fans-report">
      Read {count(result.rows, "row", "rows")}: added <strong>{count(result.added, "fan", "fans")}</strong>, {result.alreadyListed.toLocaleString()} already listed
      {result.repeatedCount > 0 ? `, ${count(result.repeatedCount, "line repeats", "lines repeat")} an email given above (counted once)` : ""}.
      {result.unknownCount > 0 && (
        <Box>
          {count(result.unknownCount, "email has", "emails have")} no account (not added): {result.unknownEmails.slice(0, 5).join(", ")}
          {result.unknownCount > 5 ? "…" : ""}
        </Box>
      )}
      {result.invalidCount > 0 && (
        <Box>
          {count(result.invalidCount, "line has", "lines have")} no valid email: line {result.invalidLines.slice(0, 10).join(", ")}
          {result.invalidCount > 10 ? "…" : ""}
        </Box>
      )}
    </Alert>
  );
}

export function PresalePanel() {
  const event = useRecordContext<{ id: string; slug?: string }>();
  const [summary, setSummary] = useState<PresaleSummary | null>(null);
  const [codesOpen, setCodesOpen] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<ImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const eventId = event?.id;

  const load = useCallback(() => {
    if (eventId) api.summary(eventId).then(setSummary, () => setSummary(null));
  }, [eventId]);
  useEffect(load, [load]);

  async function upload(file: File) {
    if (!eventId) return;
    setError(null);
    setReport(null);
    try {
      const { result, presale } = await api.importVerifiedFans(eventId, await file.text(), (done, total) => setProgress({ done, total }));
      setReport(result);
      if (presale) setSummary(presale);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The upload failed");
      load();
    } finally {
      setProgress(null);
      if (fileInput.current) fileInput.current.value = "";
    }
  }

  if (!event) return null;
  return (
    <Card variant="outlined" component="section" aria-label="Presale">
      <CardContent>
        <Typography variant="h6" component="h3" gutterBottom>
          Presale
        </Typography>
        {summary && (
          <Typography color="text.secondary" data-testid="presale-summary" sx={{ mb: 1 }}>
            {summary.presaleEnabled ? "Presale lane on" : "Presale lane off (switch it on in the event's settings)"} · {summary.codes.toLocaleString()} codes, {summary.codeUses.toLocaleString()} used,{" "}
            {summary.codeUsesLeft.toLocaleString()} uses left · {summary.verifiedFans.toLocaleString()} verified fans, {summary.verifiedFansJoined.toLocaleString()} joined
          </Typography>
        )}
        <Stack direction="row" spacing={1} sx={{ mb: 1 }}>
          <Button variant="outlined" onClick={() => setCodesOpen(true)}>
            Make access codes
          </Button>
          <Button variant="outlined" onClick={() => fileInput.current?.click()} disabled={progress !== null}>
            Upload verified fans (CSV)
          </Button>
          <input
            ref={fileInput}
            type="file"
            accept=".csv,text/csv"
            hidden
            data-testid="verified-fans-file"
            onChange={(change) => {
              const file = change.target.files?.[0];
              if (file) void upload(file);
            }}
          />
        </Stack>
        {progress && (
          <Box sx={{ my: 1 }}>
            <LinearProgress variant="determinate" value={progress.total ? (progress.done / progress.total) * 100 : 0} />
            <Typography variant="caption">
              Uploading part {Math.min(progress.done + 1, progress.total)} of {progress.total}…
            </Typography>
          </Box>
        )}
        {report && <ImportReport result={report} />}
        {error && <Alert severity="error">{error}</Alert>}
      </CardContent>
      {codesOpen && <CodesDialog eventId={event.id} slug={event.slug ?? "event"} onDone={setSummary} onClose={() => setCodesOpen(false)} />}
    </Card>
  );
}
