// Lean panels. The foundation SDK's builders start every panel from its schema's defaults (stat text
// modes, the heatmap colour scheme, `transparent: false`, …) and write them all out. Grafana fills
// each of them in itself when it loads a panel (PanelModel's defaults, then the panel plugin's
// option defaults, merged deeply), so in the file they only multiply its size by the panel count
// (and the Pulumi state's, which carries every file as a container upload). This drops exactly
// those: a key goes only when its value equals the default, so a deliberate setting always stays.
import { defaultOptions as heatmapDefaults } from "@grafana/grafana-foundation-sdk/heatmap";
import { defaultOptions as statDefaults } from "@grafana/grafana-foundation-sdk/stat";

type Json = Record<string, unknown>;

/**
 * Per panel type, the options the SDK fills in and this project never sets, with the SDK's default
 * (the plugin's own, from the same schema). Options the panels do set (a stat's colour and graph
 * mode and reducer, a heatmap's `calculate` and axis unit) stay even where they equal the default.
 */
const FILLED_OPTIONS: Readonly<
  Record<string, { readonly defaults: Json; readonly keys: readonly string[] }>
> = {
  stat: {
    defaults: statDefaults() as unknown as Json,
    keys: [
      "justifyMode",
      "orientation",
      "percentChangeColorMode",
      "showPercentChange",
      "textMode",
      "wideLayout",
    ],
  },
  heatmap: {
    defaults: heatmapDefaults() as unknown as Json,
    keys: [
      "cellGap",
      "color",
      "exemplars",
      "filterValues",
      "legend",
      "selectionMode",
      "showValue",
      "tooltip",
    ],
  },
};

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

/** Deep equality of plain JSON values. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && same(a[k], b[k]));
}

/** A panel link is a Grafana data link (title, url, targetBlank); the SDK writes a dashboard link. */
function leanLink(link: unknown): unknown {
  if (!isObject(link)) return link;
  return {
    title: link.title,
    url: link.url,
    ...(link.targetBlank === true ? { targetBlank: true } : {}),
  };
}

/**
 * `panel` (plain JSON, as built) without the defaults Grafana fills in; rows' panels too. Mutates
 * and returns its argument: call it on a fresh copy.
 */
export function leanPanel(panel: Json): Json {
  // PanelModel's defaults; repeatDirection only means something with `repeat`, and "h" is its default.
  if (panel.transparent === false) delete panel.transparent;
  if (panel.repeatDirection === "h") delete panel.repeatDirection;
  const fc = panel.fieldConfig;
  if (isObject(fc)) {
    if (isEmpty(fc.overrides)) delete fc.overrides;
    if (isObject(fc.defaults) && isEmpty(fc.defaults.custom)) delete fc.defaults.custom;
  }
  if (Array.isArray(panel.targets)) {
    // A range query (`range: true`) is not also an instant one: `instant` defaults to false.
    for (const t of panel.targets) if (isObject(t) && t.instant === false) delete t.instant;
  }
  const options = panel.options;
  const filled = typeof panel.type === "string" ? FILLED_OPTIONS[panel.type] : undefined;
  if (isObject(options)) {
    for (const k of filled?.keys ?? []) {
      if (k in options && same(options[k], filled?.defaults[k])) delete options[k];
    }
    // The legend shows no calculations unless asked (Grafana's legend default is `calcs: []`).
    if (isObject(options.legend) && isEmpty(options.legend.calcs)) delete options.legend.calcs;
  }
  if (Array.isArray(panel.links)) panel.links = panel.links.map(leanLink);
  if (Array.isArray(panel.panels)) for (const p of panel.panels) if (isObject(p)) leanPanel(p);
  return panel;
}
