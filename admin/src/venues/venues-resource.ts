import PlaceIcon from "@mui/icons-material/Place";
import { VenueCreate } from "./VenueCreate";
import { VenueEdit } from "./VenueEdit";
import { VenueList } from "./VenueList";
import { VenueShow } from "./VenueShow";

export const venues = {
  list: VenueList,
  show: VenueShow,
  create: VenueCreate,
  edit: VenueEdit,
  icon: PlaceIcon,
  recordRepresentation: "name",
  options: { label: "Venues" },
};
