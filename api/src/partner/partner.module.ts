/** Builds the partner API's parts for one API process: the key lookups that authenticate partners, their budgets, the sale announcements, and the webhook delivery worker. */
import type { Periodic } from "../platform/periodic.js";
import type { Platform } from "../platform/platform.module.js";
import { startSaleAnnouncements } from "./partner.announce.js";
import { createPartnerKeys, type PartnerKeys } from "./partner.auth.js";
import { createPartnerBudget, type PartnerBudget } from "./partner.budget.js";
import { createPartnerFans, type PartnerFans } from "./partner.fans.js";
import { startWebhookWorker, type WebhookWorker } from "./partner.webhooks.worker.js";

export interface PartnerWebhooks {
  worker: WebhookWorker;
  /** Something was queued here (a replay): deliver now rather than at the next poll. */
  deliverSoon(): void;
}

export interface PartnerModule {
  partnerKeys: PartnerKeys;
  partnerBudget: PartnerBudget;
  /** Announces on-sales that start by themselves and sales that run out (partner.announce.ts). */
  partnerSales: Periodic<number>;
  /** The fans a key with holds:write acts for (Boxoffice-Fan header). */
  partnerFans: PartnerFans;
  webhooks: PartnerWebhooks;
}

export function createPartnerModule({ config, db, redis, keys, logger }: Platform): PartnerModule {
  const worker = startWebhookWorker(
    db.pool,
    {
      pollMs: config.webhookPollMs,
      timeoutMs: config.webhookTimeoutMs,
      retryScale: config.webhookRetryScale,
      allowPrivate: config.webhooksAllowPrivateAddresses,
      production: config.environment === "production",
    },
    logger,
  );
  return {
    partnerKeys: createPartnerKeys(db.pool, config.partnerKeyCacheMs),
    partnerBudget: createPartnerBudget(redis, keys, { points: config.partnerBudgetPoints, windowSeconds: config.partnerBudgetWindowSeconds }),
    partnerSales: startSaleAnnouncements(db.pool, config.partnerAnnounceIntervalMs, logger),
    partnerFans: createPartnerFans(db.pool, config.partnerKeyCacheMs),
    webhooks: {
      worker,
      deliverSoon() {
        if (config.webhookPollMs > 0) worker.run().catch((error: unknown) => logger.warn({ err: error }, "webhook delivery failed"));
      },
    },
  };
}
