// The example app's instance profiles: known, different levels per instance, so a test can compute
// what a dashboard must show for two instances together (a ratio gauge is averaged, never summed; a
// partitioned pool shows busy / all). Separate from the app so importing it starts nothing.

export const PROFILES = Object.freeze({
  a: Object.freeze({ logCacheHitRatio: 0.85, workers: Object.freeze({ busy: 3, idle: 1 }) }),
  b: Object.freeze({ logCacheHitRatio: 0.65, workers: Object.freeze({ busy: 1, idle: 5 }) }),
});

export type ProfileName = keyof typeof PROFILES;
