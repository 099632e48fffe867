/**
 * The fan's place in an event's waiting room, kept per event in this browser so a reload neither loses
 * the place in the queue nor the admission to shop.
 */
import { eventStorage } from "../../app/session";

export interface Admission {
  token: string;
  expiresAt: string;
}

export function storedAdmission(eventId: string): Admission | null {
  const admission = eventStorage.get<Admission>(eventId, "admission");
  return admission && Date.parse(admission.expiresAt) > Date.now() ? admission : null;
}

/**
 * The admission a hold was placed with, even once its window has lapsed: checkout still sends it, so
 * the purchase frees the shopper's slot. The hold's own expiry is the only clock that decides whether
 * the fan can pay (the API accepts a live hold without a live admission).
 */
export function admissionOfHold(eventId: string): Admission | null {
  return eventStorage.get<Admission>(eventId, "admission");
}

export function storeAdmission(eventId: string, admission: Admission | null): void {
  eventStorage.set(eventId, "admission", admission);
}

export function storedQueue(eventId: string): { queueToken: string; startPosition: number | null } | null {
  return eventStorage.get(eventId, "queue");
}

export function storeQueue(eventId: string, value: { queueToken: string; startPosition: number | null } | null): void {
  eventStorage.set(eventId, "queue", value);
}
