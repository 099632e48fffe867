/**
 * The worked examples of the partner docs (/docs, partner.docs.ts): every partner flow, step by step.
 * This is the one hand-written part of the page; the operations, costs, limits, scopes and error codes
 * around it are generated from the schema and the code. Each GraphQL step is kept as a document of its
 * own so a test checks it against the live schema (api/test/partner/docs.test.ts): an example that
 * stops matching the schema fails CI rather than misleading a partner.
 */

export interface FlowStep {
  title: string;
  /** Plain text (escaped when rendered). */
  text: string;
  /** A GraphQL document sent with these headers and variables. */
  graphql?: { headers: string[]; document: string; variables?: Record<string, unknown> };
  /** Any other code (JavaScript, shell), shown as it is. */
  code?: string;
}

export interface Flow {
  id: string;
  title: string;
  intro: string;
  steps: FlowStep[];
}

const KEY = "Authorization: Bearer bo_live_…";
const FAN = "Boxoffice-Fan: fan-42";

export const FLOWS: Flow[] = [
  {
    id: "flow-buy",
    title: "Browse → hold → checkout",
    intro:
      "A partner sells seats to a fan it signed in itself. Browsing needs catalogue:read; holding and paying need holds:write and a fan: the partner registers its fan once with upsertPartnerFan, then acts for them by naming their externalId in the Boxoffice-Fan header of each request. Holds and orders belong to that fan, and their limits (seats per fan, waiting room) apply as to any fan.",
    steps: [
      {
        title: "1. Find events",
        text: "A page of events; pass pageInfo.endCursor as after for the next one. A page of first items costs first times the cost of one item (see How a request is costed).",
        graphql: {
          headers: [KEY],
          document: `query Browse($city: String, $after: String) {
  events(first: 10, after: $after, filter: { city: $city }) {
    edges { node { id name startsAt status waitingRoomEnabled venue { name city } } }
    pageInfo { endCursor hasNextPage }
  }
}`,
          variables: { city: "Chicago" },
        },
      },
      {
        title: "2. Sections, prices and seats",
        text: "Per-section all-in prices and availability, and the whole seat map in one read (seatMap has a declared cost: see the table of field costs). Statuses are one letter per seat: A available, H held, S sold, B blocked.",
        graphql: {
          headers: [KEY],
          document: `query Seats($eventId: ID!) {
  event(id: $eventId) {
    name maxSeatsPerUser holdDurationSeconds
    sections { section { id name } allInPrice { amount currency } available }
    seatMap { sectionId seatIds statuses }
  }
}`,
          variables: { eventId: "<event id>" },
        },
      },
      {
        title: "3. Register the fan (once per fan)",
        text: "The partner's own identifier of its customer is the externalId; calling again with the same externalId updates the fan and answers the same one.",
        graphql: {
          headers: [KEY],
          document: `mutation Fan($input: UpsertPartnerFanInput!) {
  upsertPartnerFan(input: $input) { fan { id externalId } errors { code message field } }
}`,
          variables: { input: { externalId: "fan-42", email: "ada@example.com", name: "Ada Lovelace" } },
        },
      },
      {
        title: "4. Hold seats for the fan",
        text: "All or nothing, for the event's hold duration. A requestKey makes a retried request return the same hold. Events with waitingRoomEnabled first need joinWaitingRoom and queueStatus (poll or queuePositionChanged) until the ticket has an admissionToken, passed here as input.admissionToken. Failures come back in errors (SEAT_UNAVAILABLE, LIMIT_EXCEEDED, NOT_ADMITTED, …) and nothing is held.",
        graphql: {
          headers: [KEY, FAN],
          document: `mutation Hold($input: HoldSeatsInput!) {
  holdSeats(input: $input) {
    hold { id expiresAt total { amount currency } }
    errors { code message field }
  }
}`,
          variables: { input: { eventId: "<event id>", seatIds: ["<seat id>", "<seat id>"], requestKey: "cart-7f3a" } },
        },
      },
      {
        title: "5. Pay",
        text: "Charges the payment token at the hold's locked prices. The same idempotencyKey always answers the same order, charged once: retry with it after a timeout. With the built-in test gateway, tok_visa succeeds and tok_chargeDeclined is declined.",
        graphql: {
          headers: [KEY, FAN],
          document: `mutation Pay($input: CheckoutInput!) {
  checkout(input: $input) {
    order { id status total { amount currency } tickets { id barcode } }
    errors { code message }
  }
}`,
          variables: { input: { holdId: "<hold id>", idempotencyKey: "order-7f3a", paymentToken: "tok_visa" } },
        },
      },
    ],
  },
  {
    id: "flow-seats",
    title: "Subscribe to seat status",
    intro:
      "Live seat changes over WebSocket (the graphql-ws protocol on the same /graphql address). The key goes in connectionParams.authorization; a subscription is charged once, when it starts, and needs catalogue:read.",
    steps: [
      {
        title: "The subscription",
        text: "One message per change of a seat (seatId) or of a general-admission count (seatId null); available is the section's count after it.",
        graphql: {
          headers: ["(graphql-ws) connectionParams: { authorization: \"Bearer bo_live_…\" }"],
          document: `subscription Seats($eventId: ID!) {
  seatStatusChanged(eventId: $eventId) { sectionId seatId status available }
}`,
          variables: { eventId: "<event id>" },
        },
      },
      {
        title: "With the graphql-ws client (Node.js or a browser)",
        text: "Refusals (scope, budget, limits) arrive as the subscription's error, with the same codes as over HTTP.",
        code: `import { createClient } from "graphql-ws";

const client = createClient({
  url: "wss://api.boxoffice.example/graphql",
  connectionParams: { authorization: \`Bearer \${process.env.BOXOFFICE_KEY}\` },
});

const stop = client.subscribe(
  { query: "subscription ($eventId: ID!) { seatStatusChanged(eventId: $eventId) { sectionId seatId status available } }",
    variables: { eventId } },
  {
    next: ({ data }) => redraw(data.seatStatusChanged),
    error: (error) => console.error("refused or closed", error),
    complete: () => {},
  },
);`,
      },
    ],
  },
  {
    id: "flow-webhooks",
    title: "Verify a webhook",
    intro:
      "Webhooks follow Standard Webhooks v1: each delivery is a POST with a JSON body and the headers webhook-id, webhook-timestamp and webhook-signature (`v1,<base64>`, an HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with the endpoint's secret `whsec_…`; during a secret rotation two signatures are sent, separated by a space, and either one is enough). Deliveries are at least once: use webhook-id to ignore repeats. Answer 2xx quickly; anything else is retried with backoff for about 3 days, and 410 Gone disables the endpoint.",
    steps: [
      {
        title: "With the standardwebhooks npm package (Express)",
        text: "Verify the raw bytes of the body, before any JSON parser touches them; verify also refuses a timestamp more than 5 minutes away from now (replays).",
        code: `import express from "express";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.BOXOFFICE_WEBHOOK_SECRET); // "whsec_…"
const app = express();

app.post("/boxoffice/webhooks", express.raw({ type: "application/json" }), async (request, response) => {
  let event;
  try {
    event = webhook.verify(request.body, {
      "webhook-id": request.header("webhook-id"),
      "webhook-timestamp": request.header("webhook-timestamp"),
      "webhook-signature": request.header("webhook-signature"),
    });
  } catch {
    return response.status(400).end(); // not from Boxoffice, altered, or too old
  }
  if (await alreadyHandled(request.header("webhook-id"))) return response.status(204).end();
  await enqueue(event); // e.g. event.type === "order.confirmed"
  response.status(204).end();
});`,
      },
    ],
  },
  {
    id: "flow-changes",
    title: "Poll the change feed",
    intro:
      "For partners who cannot receive webhooks: the same events as a gap-free feed. Ask for a page, handle it, then ask again with since set to the page's pageInfo.endCursor (keep that cursor: it is where to resume after a restart). While hasNextPage is true ask again at once; otherwise wait a few seconds. A cursor never skips an event, even one whose transaction committed late.",
    steps: [
      {
        title: "One page of the feed",
        text: "Leave since out on the first call to start from the beginning of the retained feed; types narrows it to some event types (e.g. order.confirmed).",
        graphql: {
          headers: [KEY],
          document: `query Changes($since: String) {
  changes(since: $since, first: 100) {
    edges { cursor node { id type occurredAt data } }
    pageInfo { endCursor hasNextPage }
  }
}`,
          variables: { since: "<endCursor of the previous page>" },
        },
      },
      {
        title: "The loop",
        text: "Store the cursor only after the page's events are handled: a crash then replays a page rather than losing one.",
        code: `let since = await loadCursor(); // null the first time
for (;;) {
  const { data } = await boxoffice(CHANGES, { since });
  for (const { node } of data.changes.edges) await handle(node); // idempotent, by node.id
  if (data.changes.pageInfo.endCursor) await saveCursor((since = data.changes.pageInfo.endCursor));
  if (!data.changes.pageInfo.hasNextPage) await sleep(5_000);
}`,
      },
    ],
  },
];
