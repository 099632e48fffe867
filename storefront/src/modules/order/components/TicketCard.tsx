import QRCode from "qrcode";
import { useEffect, useRef } from "react";
import type { TicketData } from "../graphql";

/**
 * A ticket with its entry QR code. The barcode is signed for a short window and rotates; the order page
 * fetches the next one at barcodeRefreshesAt, and this redraws it — a screenshot stops working.
 */
export function TicketCard({ ticket, eventName }: { ticket: TicketData; eventName: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current || ticket.status === "VOID") return;
    void QRCode.toCanvas(canvas.current, ticket.barcode, { errorCorrectionLevel: "M", margin: 2, width: 220 });
  }, [ticket.barcode, ticket.status]);

  const place = ticket.seat ? `Section ${ticket.section.name}, row ${ticket.seat.row}, seat ${ticket.seat.number}` : `${ticket.section.name} (standing)`;
  return (
    <li className={`card ticket ticket-${ticket.status.toLowerCase()}`} data-ticket-id={ticket.id}>
      <div>
        <p className="ticket-event">{eventName}</p>
        <p className="ticket-place">{place}</p>
        <p className="muted">
          {ticket.status === "VALID" && "Show this code at the door. It refreshes every few seconds; screenshots won't scan."}
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
