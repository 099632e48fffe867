/**
 * The decisions of this process's own pending holds, so a request that meets one of their pending
 * claims in Redis can wait for PostgreSQL's answer to it instead of going to PostgreSQL itself.
 *
 * Why: in a flash on-sale's first instant every seat's first claim is still pending when the next
 * fans for it arrive, and a pending claim turns no one away (hold.claims.ts: the hold may still be
 * refused). Without this, those fans all went to PostgreSQL, which refused them one row at a time in
 * the hold batches. A pending claim of a request in this same process has a decision coming here:
 * the waiter is turned away when that hold was committed (PostgreSQL then holds the seat for someone
 * else, exactly what a confirmed claim says), and goes to PostgreSQL as before when it was refused.
 *
 * Waiters never deadlock: only a request whose own claim failed waits, so a waiter holds no claim
 * another request could be waiting on. A claim of another API process has no entry here and goes to
 * PostgreSQL as before.
 */
export interface PendingHold {
  /** PostgreSQL's decision: held or not. Waiters are answered at once. */
  decided(held: boolean): void;
  /** The request is over (its claims confirmed or dropped): forget it. Undecided means refused. */
  end(): void;
}

export interface PendingHolds {
  /** Registers a hold whose pending claims this process has just written. */
  begin(holdId: string): PendingHold;
  /** Resolves with whether the hold was committed; undefined when it is not pending in this process. */
  decision(holdId: string): Promise<boolean> | undefined;
}

export function createPendingHolds(): PendingHolds {
  const decisions = new Map<string, Promise<boolean>>();
  return {
    begin(holdId) {
      let settle!: (held: boolean) => void;
      decisions.set(holdId, new Promise<boolean>((resolve) => (settle = resolve)));
      return {
        decided: (held) => settle(held),
        end() {
          settle(false); // a no-op when already decided: a promise settles once
          decisions.delete(holdId);
        },
      };
    },
    decision: (holdId) => decisions.get(holdId),
  };
}
