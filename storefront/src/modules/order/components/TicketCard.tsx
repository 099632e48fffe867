import QRCode from "qrcode";
import { useEffect, useRef } from "react";
import type { TicketData } from "../graphql";

/** "every 30 seconds", "every second": the rotation window the API signs barcodes for. */
const everySeconds = (seconds: number) => (seconds === 1 ? "every second" : `every ${seconds} seconds`);

/**
 * A ticket with its entry QR code. The barcode is signed for a short window and rotates; the order page
 * fetches the next one at barcodeRefreshesAt, and this redraws it — a screenshot stops working.
 */
export function TicketCard({ ticket, eventName, focused = false }: { ticket: TicketData; eventName: string; focused?: boolean }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const card = useRef<HTMLLIElement>(null);
  // The confirmation email's QR code opens /orders/:id?ticket=:ticketId: bring that ticket into view.
  useEffect(() => {
    if (focused) card.current?.scrollIntoView({ block: "center" });
  }, [focused]);
  useEffect(() => {
    if (!canvas.current || ticket.status === "VOID") return;
    void QRCode.toCanvas(canvas.current, ticket.barcode, { errorCorrectionLevel: "M", margin: 2, width: 220 });
  }, [ticket.barcode, ticket.status]);

  const place = ticket.seat ? `Section ${ticket.section.name}, row ${ticket.seat.row}, seat ${ticket.seat.number}` : `${ticket.section.name} (standing)`;
  return (
    <li
      ref={card}
      className={`card ticket ticket-${ticket.status.toLowerCase()}${focused ? " ticket-focused" : ""}`}
      data-ticket-id={ticket.id}
      aria-current={focused ? "true" : undefined}
    >
      <div>
        <p className="ticket-event">{eventName}</p>
        <p className="ticket-place">{place}</p>
        <p className="muted">
          {ticket.status === "VALID" && `Show this code at the door. It refreshes ${everySeconds(ticket.barcodeRotationSeconds)}; screenshots won't scan.`}
          {ticket.status === "SCANNED" && "Scanned at the door. Enjoy the show!"}
          {ticket.status === "VOID" && "This ticket was cancelled."}
        </p>
      </div>
      {ticket.status !== "VOID" && (
        <canvas ref={canvas} role="img" aria-label={`Entry code for ${place}`} data-barcode={ticket.barcode} className="qr" />
      )}
    </li>
  );
}
