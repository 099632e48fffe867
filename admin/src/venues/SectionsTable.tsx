/**
 * The venue's sections with what can be done to each: build a seated section's seats (opens the
 * builder on the map below), rename or reorder it, resize a general-admission one, delete it. The
 * API's refusals (a name taken, a capacity below what events sold, seats sold or held) show in the
 * dialog as they come.
 */
import { Alert, Button, Dialog, DialogActions, DialogContent, DialogTitle, Stack, Table, TableBody, TableCell, TableHead, TableRow, TextField } from "@mui/material";
import { useState } from "react";
import { Confirm, useDataProvider, useNotify, useRecordContext, useRefresh } from "react-admin";
import { useSearchParams } from "react-router";
import type { ConsoleDataProvider } from "../dataProvider/data-provider";
import type { SectionRecord, VenueRecord } from "./venue-types";

export function SectionsTable(_props: { label?: string }) {
  const venue = useRecordContext<VenueRecord>();
  const [, setParams] = useSearchParams();
  const [editing, setEditing] = useState<SectionRecord | null>(null);
  const [deleting, setDeleting] = useState<SectionRecord | null>(null);
  if (!venue?.sections) return null;
  const build = (section: SectionRecord) =>
    setParams((current) => {
      current.set("build", section.id);
      return current;
    });

  return (
    <>
      <Table size="small" aria-label="Sections">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Kind</TableCell>
            <TableCell align="right">Rows</TableCell>
            <TableCell align="right">Seats</TableCell>
            <TableCell align="right">Capacity</TableCell>
            <TableCell align="right">Order</TableCell>
            <TableCell />
          </TableRow>
        </TableHead>
        <TableBody>
          {venue.sections.map((section) => (
            <TableRow key={section.id} data-section={section.name}>
              <TableCell>{section.name}</TableCell>
              <TableCell>{section.kind === "GENERAL_ADMISSION" ? "General admission" : "Seated"}</TableCell>
              <TableCell align="right">{section.kind === "SEATED" ? section.rows : "—"}</TableCell>
              <TableCell align="right">{section.kind === "SEATED" ? section.seats.toLocaleString("en") : "—"}</TableCell>
              <TableCell align="right">{section.capacity.toLocaleString("en")}</TableCell>
              <TableCell align="right">{section.sortOrder}</TableCell>
              {/* Buttons named without the section's name: the row says which section (data-section). */}
              <TableCell align="right" sx={{ whiteSpace: "nowrap" }}>
                {section.kind === "SEATED" && (
                  <Button size="small" onClick={() => build(section)}>
                    Build seats
                  </Button>
                )}
                <Button size="small" onClick={() => setEditing(section)}>
                  Edit
                </Button>
                <Button size="small" color="error" onClick={() => setDeleting(section)}>
                  Delete
                </Button>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {editing && <SectionDialog section={editing} onClose={() => setEditing(null)} />}
      {deleting && <DeleteSection section={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}

function SectionDialog({ section, onClose }: { section: SectionRecord; onClose(): void }) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [name, setName] = useState(section.name);
  const [sortOrder, setSortOrder] = useState(String(section.sortOrder));
  const [capacity, setCapacity] = useState(String(section.capacity));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ga = section.kind === "GENERAL_ADMISSION";

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await dataProvider.updateSection({
        id: section.id,
        ...(name.trim() !== section.name ? { name: name.trim() } : {}),
        ...(Number(sortOrder) !== section.sortOrder ? { sortOrder: Number(sortOrder) } : {}),
        ...(ga && Number(capacity) !== section.capacity ? { capacity: Number(capacity) } : {}),
      });
      notify(`Section ${name.trim()} saved`, { type: "success" });
      refresh();
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The section could not be saved");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open onClose={onClose} maxWidth="xs" fullWidth aria-labelledby="edit-section-title">
      <DialogTitle id="edit-section-title">Section {section.name}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {error && (
            <Alert severity="error" role="alert">
              {error}
            </Alert>
          )}
          <TextField label="Section name" value={name} onChange={(event) => setName(event.target.value)} required />
          <TextField label="Display order" type="number" value={sortOrder} onChange={(event) => setSortOrder(event.target.value)} slotProps={{ htmlInput: { min: 0, max: 10000 } }} />
          {ga && (
            <TextField
              label="Capacity (places)"
              type="number"
              value={capacity}
              onChange={(event) => setCapacity(event.target.value)}
              helperText="Not below what an event has sold or holds"
              slotProps={{ htmlInput: { min: 1 } }}
            />
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button variant="contained" disabled={busy || !name.trim()} onClick={save}>
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function DeleteSection({ section, onClose }: { section: SectionRecord; onClose(): void }) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setBusy(true);
    try {
      await dataProvider.deleteSection(section.id);
      notify(`Section ${section.name} deleted`, { type: "success" });
      refresh();
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : "The section could not be deleted");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Confirm
      isOpen
      loading={busy}
      title={`Delete section ${section.name}?`}
      content={error ? <Alert severity="error">{error}</Alert> : "Its rows and seats are removed. A section with seats an event has sold or holds cannot be deleted."}
      onConfirm={remove}
      onClose={onClose}
    />
  );
}
