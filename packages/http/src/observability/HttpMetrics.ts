import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client"

/**
 * The service's Prometheus metrics, in a registry of its own so that several apps in one
 * process (tests, embedding) never collide.
 */
export const makeHttpMetrics = (options: { readonly defaultMetrics?: boolean } = {}) => {
  const registry = new Registry()
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })
  const requests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route and status",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency by method and route",
    labelNames: ["method", "route"] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  })
  const ordersPlaced = new Counter({
    name: "orders_placed_total",
    help: "Orders placed, by payment type",
    labelNames: ["payment_type"] as const,
    registers: [registry],
  })
  const payments = new Counter({
    name: "payments_total",
    help: "Payments by type and result (PAID, FAILED, PENDING)",
    labelNames: ["payment_type", "result"] as const,
    registers: [registry],
  })
  // label children are cached: resolving labels on every request costs more than the observation
  const requestChildren = new Map<string, ReturnType<typeof requests.labels>>()
  const latencyChildren = new Map<string, ReturnType<typeof latency.labels>>()
  return {
    registry,
    observeRequest: (method: string, route: string, status: number, seconds: number) => {
      const key = `${method} ${route}`
      let timer = latencyChildren.get(key)
      if (timer === undefined) {
        timer = latency.labels(method, route)
        latencyChildren.set(key, timer)
      }
      timer.observe(seconds)
      const countKey = `${key} ${status}`
      let counter = requestChildren.get(countKey)
      if (counter === undefined) {
        counter = requests.labels(method, route, String(status))
        requestChildren.set(countKey, counter)
      }
      counter.inc()
    },
    orderPlaced: (paymentType: string) => ordersPlaced.inc({ payment_type: paymentType }),
    payment: (paymentType: string, result: string) => payments.inc({ payment_type: paymentType, result }),
  }
}

export type HttpMetrics = ReturnType<typeof makeHttpMetrics>
