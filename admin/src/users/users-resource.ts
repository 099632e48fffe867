import PeopleIcon from "@mui/icons-material/People";
import { UserCreate } from "./UserCreate";
import { UserEdit } from "./UserEdit";
import { UserList } from "./UserList";

/** Accounts (admins only). */
export const users = {
  list: UserList,
  create: UserCreate,
  edit: UserEdit,
  icon: PeopleIcon,
  recordRepresentation: "email",
  options: { label: "Accounts" },
};
