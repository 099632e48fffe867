/** Builds the outbox consumers that run in the API process: confirmation emails. */
import type { Periodic } from "../platform/periodic.js";
import type { Platform } from "../platform/platform.module.js";
import { startEmailDelivery } from "./outbox.email.js";

/** Attempts of one email before it is given up (exponential backoff from OUTBOX_RETRY_BASE_MS). */
const EMAIL_ATTEMPTS = 10;

export interface OutboxModule {
  emails: Periodic<number>;
  /** An order was just confirmed: deliver its email now rather than at the next poll. */
  deliverSoon(): void;
}

export function createOutboxModule({ config, db, logger }: Platform): OutboxModule {
  const emails = startEmailDelivery(
    db.pool,
    {
      smtpUrl: config.smtpUrl,
      from: config.mailFrom,
      outboxDir: config.mailOutboxDir,
      storefrontUrl: config.storefrontUrl,
      barcodeRotationSeconds: config.barcodeRotationSeconds,
      intervalMs: config.outboxPollIntervalMs,
      retryBaseMs: config.outboxRetryBaseMs,
      maxAttempts: EMAIL_ATTEMPTS,
    },
    logger,
  );
  return {
    emails,
    deliverSoon() {
      if (config.outboxPollIntervalMs > 0) emails.run().catch((error: unknown) => logger.warn({ err: error }, "email delivery failed"));
    },
  };
}
