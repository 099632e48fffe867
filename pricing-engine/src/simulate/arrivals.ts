/**
 * Arrival profiles of the simulator: how many fans come to the on-sale, when, and how much they value a
 * ticket compared with its initial all-in price. The shapes are stylised, not fitted to data: they are
 * there to show how the strategy reacts to a rush, a steady trickle, an overpriced slow seller and a
 * late surge — not to forecast a real event.
 *
 * Guarantee: `arrivalsPerMinute` returns whole numbers that add up exactly to round(fansPerSeat ×
 * capacity) over the sale, in the profile's shape.
 */

export const ARRIVAL_PROFILES = ["stadium-rush", "steady", "slow-burn", "late-surge"] as const;
export type ArrivalProfileName = (typeof ARRIVAL_PROFILES)[number];

export interface ArrivalProfile {
  name: ArrivalProfileName;
  description: string;
  /** Fans arriving over the whole sale per seat on sale. Above 1 the event could sell out. */
  fansPerSeat: number;
  /** Median willingness to pay ÷ the section's initial all-in price: above 1 the event is underpriced. */
  valueFactor: number;
  /** Relative arrival intensity in sale minute `minute` of `saleMinutes` (any positive scale). */
  intensity(minute: number, saleMinutes: number): number;
}

const PROFILES: Record<ArrivalProfileName, ArrivalProfile> = {
  "stadium-rush": {
    name: "stadium-rush",
    description: "a huge spike at on-sale decaying over the first hour (time constant 15 min); 3 fans per seat, underpriced by 25%",
    fansPerSeat: 3,
    valueFactor: 1.25,
    intensity: (minute) => 0.02 + Math.exp(-minute / 15),
  },
  steady: {
    name: "steady",
    description: "the same number of fans every minute; 1.3 fans per seat, priced right",
    fansPerSeat: 1.3,
    valueFactor: 1,
    intensity: () => 1,
  },
  "slow-burn": {
    name: "slow-burn",
    description: "few fans, slowly growing; 0.9 fans per seat, overpriced by 10%",
    fansPerSeat: 0.9,
    valueFactor: 0.9,
    intensity: (minute, saleMinutes) => 0.3 + minute / saleMinutes,
  },
  "late-surge": {
    name: "late-surge",
    description: "a quiet start, then a surge around 60% of the sale (an announcement); 1.6 fans per seat",
    fansPerSeat: 1.6,
    valueFactor: 1.1,
    intensity: (minute, saleMinutes) => 0.25 + 3 * Math.exp(-(((minute / saleMinutes - 0.6) / 0.08) ** 2)),
  },
};

export function isArrivalProfileName(name: string): name is ArrivalProfileName {
  return (ARRIVAL_PROFILES as readonly string[]).includes(name);
}

export function arrivalProfile(name: ArrivalProfileName): ArrivalProfile {
  return PROFILES[name];
}

/** Whole fans arriving in each minute of the sale; fractions carry over, so the total is exact. */
export function arrivalsPerMinute(profile: ArrivalProfile, capacity: number, saleMinutes: number): number[] {
  const total = Math.round(profile.fansPerSeat * capacity);
  const weights = Array.from({ length: saleMinutes }, (_, minute) => profile.intensity(minute, saleMinutes));
  const sum = weights.reduce((a, b) => a + b, 0);
  const arrivals: number[] = [];
  let expected = 0;
  let given = 0;
  for (const weight of weights) {
    expected += (total * weight) / sum;
    const now = Math.round(expected) - given;
    arrivals.push(now);
    given += now;
  }
  return arrivals;
}
