// A small catalogue of our own for the recorded check fixtures (check-record.ts): one metric of each
// kind, a closed attribute with a failure value, an open attribute with maxValues, a counter that a
// quiet job never increments. Loaded by `check --definitions`, as a user's catalogue would be.
import { defineMetrics } from "../../definitions";

export default defineMetrics({
  name: "shop",
  groups: { orders: { title: "Orders" } },
  metrics: {
    orders: {
      name: "shop.orders",
      kind: "counter",
      unit: "{order}",
      description: "Orders placed.",
      group: "orders",
      attributes: {
        "payment.method": { values: ["card", "invoice"] },
        outcome: { values: ["ok", "declined"], failure: ["declined"] },
        region: { maxValues: 2 },
      },
      // RED: the error-ratio panels filter on outcome=~"declined".
      requests: { duration: "checkoutDuration", saturation: "sessionsActive" },
    },
    refunds: {
      name: "shop.refunds",
      kind: "counter",
      unit: "{refund}",
      description: "Orders refunded.",
      group: "orders",
    },
    checkoutDuration: {
      name: "shop.checkout.duration",
      kind: "histogram",
      unit: "s",
      description: "How long a checkout took.",
      group: "orders",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      attributes: { "payment.method": { values: ["card", "invoice"] } },
    },
    cartItems: {
      name: "shop.cart.items",
      kind: "gauge",
      unit: "{item}",
      description: "Items in the cart at checkout.",
      group: "orders",
    },
    sessionsActive: {
      name: "shop.sessions.active",
      kind: "upDownCounter",
      unit: "{session}",
      description: "Sessions open right now.",
      group: "orders",
    },
  },
});
