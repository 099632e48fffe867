/** Who changed what, newest first; a row expands to the record before and after the change. */
import { Box, Typography } from "@mui/material";
import { Datagrid, DateField, List, TextField, TextInput, useRecordContext } from "react-admin";

interface AuditRecord {
  id: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

function Json({ title, value }: { title: string; value: unknown }) {
  return (
    <Box sx={{ minWidth: 0 }}>
      <Typography variant="subtitle2">{title}</Typography>
      <Box component="pre" sx={{ m: 0, p: 1, bgcolor: "grey.100", borderRadius: 1, fontSize: 12, overflow: "auto", maxHeight: 360 }}>
        {value == null ? "—" : JSON.stringify(typeof value === "string" ? JSON.parse(value) : value, null, 2)}
      </Box>
    </Box>
  );
}

function BeforeAfter() {
  const record = useRecordContext<AuditRecord>();
  if (!record) return null;
  return (
    <Box sx={{ display: "grid", gridTemplateColumns: "1fr 1fr", gap: 2 }}>
      <Json title="Before" value={record.before} />
      <Json title="After" value={record.after} />
    </Box>
  );
}

function Entity(_props: { label?: string }) {
  const record = useRecordContext<AuditRecord>();
  if (!record) return null;
  return (
    <span>
      {record.entityType} <Typography component="span" variant="caption" color="text.secondary">{record.entityId}</Typography>
    </span>
  );
}

const filters = [<TextInput key="entityType" source="entityType" label="Entity type" alwaysOn />, <TextInput key="entityId" source="entityId" label="Entity id" />];

/** The API lists newest first and sorts no other way, so no column is sortable. */
export function AuditList() {
  return (
    <List filters={filters} perPage={50} title="Audit log">
      <Datagrid expand={<BeforeAfter />} bulkActionButtons={false} rowClick="expand">
        <DateField source="createdAt" label="When" showTime sortable={false} />
        <TextField source="actorEmail" label="Who" sortable={false} emptyText="system" />
        <TextField source="action" sortable={false} />
        <Entity label="Entity" />
      </Datagrid>
    </List>
  );
}
