import type { Bars } from "../analytics";
import { pairAnalytics, PAIR_CHARTS, type PairAnalytics, type PairChart, type PairParams } from "../pair";
import { bundleBytes, type MimeBundle } from "./mime-bundle";
import { pairChartBundle } from "./pair-figure";

/** Result of {@link refreshDashboard}. */
export interface DashboardRefresh {
  analytics: PairAnalytics;
  bundles: Record<PairChart, MimeBundle>;
  /** Size of the largest bundle, bytes. */
  largestBundleBytes: number;
}

/**
 * The whole dashboard refresh — every analytic and every chart bundle (figure or warning) — as the pair
 * object's dashboard and the benchmark run it. O(n).
 * @example refreshDashboard(barsA, barsB, params).largestBundleBytes // ≤ 1,000,000
 */
export function refreshDashboard(a: Bars, b: Bars, params: PairParams, context: { tradesPerSecond?: number } = {}): DashboardRefresh {
  const analytics = pairAnalytics(a, b, params);
  const bundles = {} as Record<PairChart, MimeBundle>;
  let largest = 0;
  for (const chart of PAIR_CHARTS) {
    bundles[chart] = pairChartBundle(analytics, chart, context);
    largest = Math.max(largest, bundleBytes(bundles[chart]));
  }
  return { analytics, bundles, largestBundleBytes: largest };
}
