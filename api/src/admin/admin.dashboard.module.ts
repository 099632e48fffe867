/** The live sale dashboard's dependencies: the snapshot's sources and this process's shared feeds. */
import type { Platform } from "../platform/platform.module.js";
import type { WaitingRoomDependencies } from "../waiting-room/waiting-room.service.js";
import { createDashboardFeeds, type DashboardFeeds } from "./admin.dashboard.live.js";
import { snapshot, type DashboardDependencies, type DashboardSnapshot } from "./admin.dashboard.service.js";

export interface DashboardModule {
  dependencies: DashboardDependencies;
  feeds: DashboardFeeds<DashboardSnapshot>;
}

export function createDashboardModule({ db, pubsub, logger }: Pick<Platform, "db" | "pubsub" | "logger">, waitingRoom: WaitingRoomDependencies): DashboardModule {
  const dependencies: DashboardDependencies = { pool: db.pool, waitingRoom };
  return { dependencies, feeds: createDashboardFeeds({ pubsub, logger, compute: (eventId) => snapshot(dependencies, eventId) }) };
}
