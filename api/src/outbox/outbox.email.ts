/**
 * Order confirmation emails, sent from the outbox (never inside the checkout transaction) with
 * retries and exponential backoff. nodemailer over SMTP when SMTP_URL is set; otherwise each email is
 * written as an .eml file to MAIL_OUTBOX_DIR (default var/mail/), named after the order, so a resend
 * overwrites rather than duplicates. Each ticket's QR code (qrcode) opens the ticket in the storefront,
 * where its entry barcode rotates: a static image in an inbox would be a screenshot by design. The
 * email says so in words, or a fan shows the email's QR code at the door and is turned away.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import nodemailer from "nodemailer";
import QRCode from "qrcode";
import type pg from "pg";
import type { Logger } from "../platform/logger.js";
import { startPeriodic, type Periodic } from "../platform/periodic.js";
import { claimDeliveries, markDelivered, markFailed } from "@boxoffice/db/outbox";
import * as db from "./outbox.db.js";

export interface EmailOptions {
  smtpUrl: string | null;
  from: string;
  outboxDir: string;
  storefrontUrl: string;
  /** How often the entry barcode rotates (config barcodeRotationSeconds): the email states it. */
  barcodeRotationSeconds: number;
  intervalMs: number;
  /** First retry after this long, doubling each time (capped at an hour). */
  retryBaseMs: number;
  maxAttempts: number;
}

const CONSUMER = "email";
/** Small batches: every delivery of a batch must finish within its lease (@boxoffice/db/outbox). */
const BATCH = 5;

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; content: Buffer; cid: string }[];
}

export function createMailer(options: Pick<EmailOptions, "smtpUrl" | "from" | "outboxDir">): (name: string, mail: Mail) => Promise<void> {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport({ url: options.smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 });
    return async (_name, mail) => {
      await transport.sendMail({ from: options.from, ...mail });
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  return async (name, mail) => {
    const info = await transport.sendMail({ from: options.from, ...mail });
    await mkdir(options.outboxDir, { recursive: true });
    await writeFile(join(options.outboxDir, `${name}.eml`), info.message as Buffer);
  };
}

/** The storefront page of one ticket (its order, scrolled to the ticket): what the email's QR code opens. */
export const ticketPageUrl = (storefrontUrl: string, orderId: string, ticketId: string) => `${storefrontUrl}/orders/${orderId}?ticket=${ticketId}`;

/** How the email draws each ticket's QR code (tests draw the expected image with the same options). */
export const TICKET_QR_OPTIONS = { type: "png", errorCorrectionLevel: "M", margin: 2, width: 240 } as const;

/** Said under the tickets, in the text and the HTML part alike. */
export function entryCodeNotice(rotationSeconds: number): string[] {
  const every = rotationSeconds === 1 ? "every second" : `every ${rotationSeconds} seconds`;
  return [
    "These QR codes are NOT your entry codes: each one only opens your ticket page. Scanners at the door will refuse them.",
    `At the door, open the ticket on your phone and show the entry code there: it changes ${every}, so screenshots and printouts do not work.`,
  ];
}

export async function confirmationMail(
  order: db.ConfirmationRow,
  options: Pick<EmailOptions, "storefrontUrl" | "barcodeRotationSeconds">,
): Promise<Mail> {
  const when = new Intl.DateTimeFormat("en-US", { dateStyle: "full", timeStyle: "short", timeZone: order.timezone }).format(order.startsAt);
  const total = `${(order.totalMinor / 100).toFixed(2)} ${order.currency}`;
  const tickets = await Promise.all(
    order.tickets.map(async (ticket, index) => {
      const place = ticket.row ? `${ticket.section}, row ${ticket.row}, seat ${ticket.number}` : `${ticket.section} (general admission)`;
      const url = ticketPageUrl(options.storefrontUrl, order.orderId, ticket.id);
      const qr = await QRCode.toBuffer(url, TICKET_QR_OPTIONS);
      return { place, url, attachment: { filename: `ticket-${index + 1}.png`, content: qr, cid: `ticket-${ticket.id}@boxoffice` } };
    }),
  );
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const notice = entryCodeNotice(options.barcodeRotationSeconds);
  return {
    to: order.email,
    subject: `Your tickets: ${order.eventName}`,
    text: [
      `Hi ${order.name},`,
      "",
      `You're going to ${order.eventName} at ${order.venueName}, ${order.city} on ${when}.`,
      `Order ${order.orderId}, total ${total}.`,
      "",
      ...tickets.map((ticket) => `- ${ticket.place}: ${ticket.url}`),
      "",
      ...notice,
    ].join("\n"),
    html: [
      `<p>Hi ${escape(order.name)},</p>`,
      `<p>You're going to <strong>${escape(order.eventName)}</strong> at ${escape(order.venueName)}, ${escape(order.city)} on ${escape(when)}.</p>`,
      `<p>Order ${order.orderId}, total ${escape(total)}.</p>`,
      `<p><strong>${escape(notice[0]!)}</strong></p>`,
      ...tickets.map(
        (ticket) =>
          `<p><img src="cid:${ticket.attachment.cid}" alt="QR code that opens the ticket page of ${escape(ticket.place)} (not the entry code)" width="240" height="240"><br>` +
          `${escape(ticket.place)} — <a href="${escape(ticket.url)}">open ticket</a></p>`,
      ),
      `<p>${escape(notice[1]!)}</p>`,
    ].join("\n"),
    attachments: tickets.map((ticket) => ticket.attachment),
  };
}

export function startEmailDelivery(pool: pg.Pool, options: EmailOptions, logger: Logger): Periodic<number> {
  const send = createMailer(options);
  async function pass(): Promise<number> {
    let sent = 0;
    for (;;) {
      const deliveries = await claimDeliveries(pool, CONSUMER, BATCH);
      for (const delivery of deliveries) {
        try {
          if (delivery.type === "OrderConfirmed") {
            const orderId = String(delivery.payload.orderId);
            const order = await db.findConfirmation(pool, orderId);
            if (order) await send(`order-${orderId}`, await confirmationMail(order, options));
          }
          await markDelivered(pool, delivery);
          sent++;
        } catch (error) {
          const retryInMs = Math.min(options.retryBaseMs * 2 ** (delivery.attempts - 1), 3_600_000);
          logger.warn({ err: error, delivery: delivery.id, attempts: delivery.attempts }, "email not sent; will retry");
          await markFailed(pool, delivery, error instanceof Error ? error.message : String(error), retryInMs, options.maxAttempts);
        }
      }
      if (deliveries.length < BATCH) return sent;
    }
  }
  return startPeriodic("email delivery", options.intervalMs, pass, logger);
}
