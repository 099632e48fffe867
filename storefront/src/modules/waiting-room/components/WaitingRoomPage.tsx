import { useApolloClient, useMutation, useQuery, useSubscription } from "@apollo/client/react";
import { useCallback, useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { describeError, describeFailure } from "../../../shared/errors";
import { formatDuration, formatEventDate } from "../../../shared/format";
import { useViewer } from "../../auth/hooks/use-viewer";
import { EVENT_PAGE, type EventPageData } from "../../catalogue/graphql";
import { storeAdmission, storedQueue, storeQueue } from "../admission";
import { useDocumentTitle } from "../../../shared/use-document-title";
import {
  JOIN_WAITING_ROOM,
  LEAVE_WAITING_ROOM,
  QUEUE_POSITION_CHANGED,
  QUEUE_STATUS,
  type JoinPayload,
  type QueueTicket,
} from "../graphql";

/**
 * The queue for a high-demand event: joins once (a reload keeps the place), shows position, estimated
 * wait and progress live from queuePositionChanged (with a slow poll as a fallback), and moves on to
 * seat selection by itself when the fan is admitted.
 */
export function WaitingRoomPage() {
  const { eventId = "" } = useParams();
  const navigate = useNavigate();
  const client = useApolloClient();
  const { viewer, loading: viewerLoading } = useViewer();
  const event = useQuery<{ event: EventPageData | null }>(EVENT_PAGE, { variables: { id: eventId } });
  useDocumentTitle(event.data?.event ? `Waiting room: ${event.data.event.name}` : "Waiting room");
  const [ticket, setTicket] = useState<QueueTicket | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [join] = useMutation<{ joinWaitingRoom: JoinPayload }>(JOIN_WAITING_ROOM);
  const [leave] = useMutation(LEAVE_WAITING_ROOM);
  const joining = useRef(false);
  const [choosing, setChoosing] = useState(false);
  const [code, setCode] = useState("");
  const [codeError, setCodeError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [startPosition, setStartPosition] = useState<number | null>(() => storedQueue(eventId)?.startPosition ?? null);

  useEffect(() => {
    if (!viewerLoading && !viewer) navigate(`/login?next=${encodeURIComponent(`/events/${eventId}/queue`)}`, { replace: true });
  }, [viewer, viewerLoading, eventId, navigate]);

  /** Joins the queue, with a presale code or without; a refused code keeps the form up with its message. */
  const joinQueue = useCallback(
    async (accessCode: string | null) => {
      setCodeError(null);
      setError(null);
      try {
        const result = await join({ variables: { eventId, accessCode } });
        const payload = result.data?.joinWaitingRoom;
        if (!payload) return setError("We could not join the queue. Please reload.");
        if (payload.errors.length > 0 || !payload.ticket) {
          const refusedCode = payload.errors.find((item) => item.field === "accessCode");
          if (refusedCode) return setCodeError(describeError(refusedCode));
          return setError(payload.errors.map((item) => describeError(item)).join(" "));
        }
        const position = payload.ticket.position;
        storeQueue(eventId, { queueToken: payload.ticket.queueToken, startPosition: position });
        setStartPosition(position);
        setTicket(payload.ticket);
        setChoosing(false);
      } catch (failure) {
        setError(describeFailure(failure));
      }
    },
    [eventId, join],
  );

  // Resume a stored place, or join. During a presale the fan first chooses: a code, or the general
  // queue (a verified fan joins without a code and still gets the presale lane). The API keeps one
  // ticket per fan, so the code must come before the first join, not after.
  // Known once the event has loaded (or failed to: then join, and the API's answer says what is wrong).
  const presaleEnabled = event.data ? (event.data.event?.presaleEnabled ?? false) : event.error ? false : undefined;
  useEffect(() => {
    if (!viewer || presaleEnabled === undefined || joining.current) return;
    joining.current = true;
    void (async () => {
      try {
        const stored = storedQueue(eventId);
        if (stored) {
          const result = await client.query<{ queueStatus: QueueTicket }>({
            query: QUEUE_STATUS,
            variables: { eventId, queueToken: stored.queueToken },
            fetchPolicy: "network-only",
          });
          const current = result.data?.queueStatus;
          if (current && (current.status === "WAITING" || current.status === "ADMITTED")) return setTicket(current);
        }
      } catch {
        // A stored place that cannot be read is joined again below (the API hands back a live ticket).
      }
      if (presaleEnabled) setChoosing(true);
      else await joinQueue(null);
    })();
  }, [viewer, eventId, client, presaleEnabled, joinQueue]);

  async function joinWithCode(formEvent: FormEvent<HTMLFormElement>) {
    formEvent.preventDefault();
    if (!code.trim() || busy) return;
    setBusy(true);
    await joinQueue(code.trim());
    setBusy(false);
  }

  async function joinWithoutCode() {
    setBusy(true);
    await joinQueue(null);
    setBusy(false);
  }

  const live = useSubscription<{ queuePositionChanged: QueueTicket }>(QUEUE_POSITION_CHANGED, {
    variables: { eventId, queueToken: ticket?.queueToken ?? "" },
    skip: !ticket || ticket.status !== "WAITING",
  });
  useEffect(() => {
    if (live.data?.queuePositionChanged) setTicket(live.data.queuePositionChanged);
  }, [live.data]);

  // Fallback poll: a missed update (socket reconnecting) never leaves the fan stuck.
  useEffect(() => {
    if (!ticket || ticket.status !== "WAITING") return;
    const timer = setInterval(async () => {
      const result = await client
        .query<{ queueStatus: QueueTicket }>({ query: QUEUE_STATUS, variables: { eventId, queueToken: ticket.queueToken }, fetchPolicy: "network-only" })
        .catch(() => null);
      if (result?.data?.queueStatus) setTicket(result.data.queueStatus);
    }, 10_000);
    return () => clearInterval(timer);
  }, [ticket?.queueToken, ticket?.status, eventId, client]); // eslint-disable-line react-hooks/exhaustive-deps

  // Admitted: keep the token and go shopping.
  useEffect(() => {
    if (ticket?.status === "ADMITTED" && ticket.admissionToken && ticket.admissionExpiresAt) {
      storeAdmission(eventId, { token: ticket.admissionToken, expiresAt: ticket.admissionExpiresAt });
      navigate(`/events/${eventId}?admitted=1`, { replace: true });
    }
  }, [ticket, eventId, navigate]);

  async function leaveQueue() {
    if (ticket) await leave({ variables: { eventId, queueToken: ticket.queueToken } }).catch(() => null);
    storeQueue(eventId, null);
    navigate(`/events/${eventId}`);
  }

  const data = event.data?.event;
  const position = ticket?.position ?? null;
  const progress = position !== null && startPosition ? Math.min(1, Math.max(0, 1 - (position - 1) / Math.max(startPosition, 1))) : 0;
  const soldOut = ticket?.outlook === "SOLD_OUT" || ticket?.phase === "SOLD_OUT";

  return (
    <main className="page narrow waiting-room">
      <p>
        <Link to={`/events/${eventId}`}>← Back to the event</Link>
      </p>
      <h1>You're in the waiting room</h1>
      {data && (
        <p className="muted">
          {data.name} · {data.venue.name}, {data.venue.city} · {formatEventDate(data.startsAt, data.venue.timezone)}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {!ticket && !error && !choosing && <p aria-live="polite">Finding your place in the queue…</p>}
      {!ticket && choosing && (
        <section className="card presale-card" aria-labelledby="presale-heading">
          <h2 id="presale-heading">Presale</h2>
          <p>
            Fans with a presale code go ahead of the general queue. Got one? Enter it to join the presale. On the
            verified-fan list? Join without a code: we'll recognise your account.
          </p>
          <form className="form" onSubmit={(formEvent) => void joinWithCode(formEvent)}>
            <label>
              Presale access code
              <input
                name="accessCode"
                autoComplete="off"
                autoCapitalize="characters"
                spellCheck={false}
                maxLength={100}
                value={code}
                onChange={(change) => setCode(change.target.value)}
                aria-invalid={codeError ? true : undefined}
                aria-describedby={codeError ? "presale-code-error" : undefined}
              />
            </label>
            {codeError && (
              <p id="presale-code-error" className="error" role="alert">
                {codeError}
              </p>
            )}
            <button className="primary" type="submit" disabled={busy || !code.trim()}>
              Join the presale
            </button>
          </form>
          <button type="button" onClick={() => void joinWithoutCode()} disabled={busy}>
            Join without a code
          </button>
        </section>
      )}
      {ticket && (
        <section className="card queue-card" aria-live="polite" aria-atomic="true">
          {soldOut ? (
            <p className="error">Sorry: this event has sold out. You have not been charged.</p>
          ) : ticket.phase === "PRE_QUEUE" ? (
            <>
              <p className="queue-position">You're in the pre-queue</p>
              <p>
                When tickets go on sale, everyone in the pre-queue gets a random place — joining earlier does not
                help, so there is no need to refresh. Keep this page open.
              </p>
            </>
          ) : (
            <>
              <p className="queue-position" data-testid="queue-position">
                {position !== null ? (
                  <>
                    <span className="visually-hidden">Your place in line: </span>
                    {position.toLocaleString()}
                    <span className="queue-position-label">{position === 1 ? " — you're next" : " in line"}</span>
                  </>
                ) : (
                  "Almost there…"
                )}
              </p>
              <div
                className="progress"
                role="progressbar"
                aria-label="Progress through the queue"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={Math.round(progress * 100)}
              >
                <div className="progress-bar" style={{ width: `${Math.round(progress * 100)}%` }} />
              </div>
              <p>
                {ticket.estimatedWaitSeconds != null
                  ? `Estimated wait: ${formatDuration(ticket.estimatedWaitSeconds)}`
                  : "Estimating your wait…"}
              </p>
              {ticket.outlook === "UNLIKELY" && (
                <p className="warning">Tickets are going fast: there may not be any left by your turn.</p>
              )}
              {ticket.presale && <p className="badge badge-sale">Presale access</p>}
              <p className="muted">
                We'll take you to seat selection automatically when it's your turn. You will then have a few minutes to
                choose your seats.
              </p>
            </>
          )}
          <button type="button" onClick={() => void leaveQueue()}>
            Leave the queue
          </button>
        </section>
      )}
    </main>
  );
}
