import EventIcon from "@mui/icons-material/Event";
import { EventCreate } from "./EventCreate";
import { EventEdit } from "./EventEdit";
import { EventList } from "./EventList";
import { EventShow } from "./EventShow";

export const events = {
  list: EventList,
  show: EventShow,
  create: EventCreate,
  edit: EventEdit,
  icon: EventIcon,
  recordRepresentation: "name",
  options: { label: "Events" },
};
