import { useEffect } from "react";

const SITE = "Boxoffice";

/**
 * Each page names itself in the browser tab, history and bookmarks ("Hamlet — Boxoffice"), and a
 * screen reader announces it; undefined (still loading) leaves the current title as it is.
 */
export function useDocumentTitle(title: string | undefined): void {
  useEffect(() => {
    if (title !== undefined) document.title = title ? `${title} — ${SITE}` : SITE;
  }, [title]);
}
