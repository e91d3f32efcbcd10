import { type DomainEvent, type DomainEventTag, drainOutbox, PointService, UserService } from "@commerce-core/domain"
import { Effect, ManagedRuntime } from "effect"
import { describe, expect, it } from "vitest"
import { makeEmbeddedLayer } from "../../src/embedded/EmbeddedLayer.js"

const recorder = (name: string, interestedIn?: ReadonlySet<DomainEventTag>) => {
  const seen: Array<DomainEventTag> = []
  const consumer = {
    name,
    ...(interestedIn ? { interestedIn } : {}),
    handle: (event: DomainEvent) => Effect.sync(() => void seen.push(event._tag)),
  }
  return { consumer, seen }
}

describe("embedded pipeline", () => {
  it("delivers every event to plain consumers and only declared ones to selective consumers", async () => {
    const everything = recorder("everything")
    const selective = recorder("selective", new Set<DomainEventTag>(["PointsCharged"]))
    const runtime = ManagedRuntime.make(
      makeEmbeddedLayer({ consumers: [everything.consumer, selective.consumer], relayDaemon: false }),
    )
    try {
      await runtime.runPromise(
        Effect.gen(function* () {
          const users = yield* UserService
          const points = yield* PointService
          const user = yield* users.signUp({
            loginId: "sel1",
            email: "sel1@x.io",
            gender: "MALE",
            birthDate: "1990-01-01",
          })
          yield* points.charge({ userId: user.id, amount: 5_000 })
          yield* points.charge({ userId: user.id, amount: 6_000 })
          yield* drainOutbox
        }),
      )
      expect(everything.seen).toEqual(["UserSignedUp", "PointsCharged", "PointsCharged"])
      expect(selective.seen).toEqual(["PointsCharged", "PointsCharged"])
    } finally {
      await runtime.dispose()
    }
  })
})
