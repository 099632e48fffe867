import KeyIcon from "@mui/icons-material/VpnKey";
import { ApiKeysPage } from "./ApiKeysPage";

/** Partner API keys: one page of its own (the API answers a short list, not react-admin's pages). */
export const apiKeys = {
  list: ApiKeysPage,
  icon: KeyIcon,
  options: { label: "API keys" },
};
