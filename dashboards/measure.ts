// What a panel's number means, as data: the end-to-end test evaluates these against what the
// example app recorded and compares the result with what the panel's query returns. A second,
// independent statement of each query's meaning, so a query that computes the wrong thing fails.

/** Label values a measure is restricted to (`negate`: all but these). */
export interface MeasureFilter {
  readonly label: string;
  readonly values: readonly string[];
  readonly negate?: boolean;
}

export type Measure =
  /** Sum of the per-second rates of a counter (or a histogram's observations). */
  | {
      readonly op: "rate";
      readonly catalogue: string;
      readonly metric: string;
      readonly filters?: readonly MeasureFilter[];
      readonly by?: readonly string[];
    }
  /** A gauge's or up-down counter's current value, combined by `aggregation`. */
  | {
      readonly op: "value";
      readonly catalogue: string;
      readonly metric: string;
      readonly aggregation: "sum" | "avg" | "min" | "max";
      readonly filters?: readonly MeasureFilter[];
      readonly by?: readonly string[];
    }
  /** Sum of the `numerator` measures over the sum of the `denominator` measures, per `by`. */
  | {
      readonly op: "ratio";
      readonly numerator: readonly Measure[];
      readonly denominator: readonly Measure[];
      readonly by?: readonly string[];
    }
  /** Largest share of the in-use values in their whole, per instance (and the metric's other labels). */
  | {
      readonly op: "maxShare";
      readonly catalogue: string;
      readonly metric: string;
      readonly label: string;
      readonly inUse: readonly string[];
    }
  /** A histogram quantile over all observations (bucket interpolation as histogram_quantile does it). */
  | {
      readonly op: "quantile";
      readonly catalogue: string;
      readonly metric: string;
      readonly q: number;
      readonly by?: readonly string[];
    }
  /** Instances with a current uptime series. */
  | { readonly op: "instances"; readonly catalogue: string; readonly metric: string }
  /** The youngest instance's uptime in seconds. */
  | { readonly op: "youngestUptime"; readonly catalogue: string; readonly metric: string };
