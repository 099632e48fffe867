/** Builds tickets for one API process: the barcode signer (Ed25519, rotating component) and the pool. */
import type { Platform } from "../platform/platform.module.js";
import { createBarcodeSigner } from "./ticket.barcodes.js";
import type { TicketDependencies } from "./ticket.service.js";

export function createTicketModule({ config, db }: Platform): TicketDependencies {
  return {
    pool: db.pool,
    barcodes: createBarcodeSigner({
      signingKeyPem: config.ticketSigningKey,
      developmentSecret: config.authTokenSecret,
      rotationSeconds: config.barcodeRotationSeconds,
    }),
  };
}
