import type { CouponTemplate, CouponTemplateId, PersistenceUnavailable, UserId } from "@commerce-core/domain"
import { Effect } from "effect"
import { type RedisConnection, redisScript } from "../RedisClient.js"

/** Gate keys live this long after the last write; an expired gate is rebuilt like a lost one. */
export const GATE_TTL_SECONDS = 24 * 60 * 60

export type GateVerdict = "ADMIT" | "DUPLICATE" | "SOLD_OUT" | "UNLOADED"

/** How a reservation ends once the store has answered. */
export type GateSettlement = "ISSUED" | "HELD_ALREADY" | "SOLD_OUT" | "FAILED"

// KEYS: holders set, sold-out flag, loaded marker. ARGV: user, total (-1 = unlimited),
// ttl, "1" when the gate must be loaded from the store before it may admit.
// The holders set is every user with an issued coupon or a reservation in flight, so its
// size never exceeds what the store can hold plus the in-flight attempts. Duplicates are
// checked before sold out, as the store does.
const admitScript = redisScript(`
if ARGV[4] == '1' and redis.call('EXISTS', KEYS[3]) == 0 then return 'UNLOADED' end
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 'DUPLICATE' end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'SOLD_OUT' end
local total = tonumber(ARGV[2])
if total >= 0 and redis.call('SCARD', KEYS[1]) >= total then return 'SOLD_OUT' end
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 'ADMIT'
`)

// KEYS: holders, sold-out flag, loaded marker. ARGV: user, settlement, ttl.
// ISSUED and HELD_ALREADY (re)add the user: the store says they hold one, even if Redis lost
// the reservation meanwhile. SOLD_OUT drops the reservation and records the store's verdict.
// FAILED drops the reservation only.
const settleScript = redisScript(`
local s = ARGV[2]
if s == 'ISSUED' or s == 'HELD_ALREADY' then
  redis.call('SADD', KEYS[1], ARGV[1])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
else
  redis.call('SREM', KEYS[1], ARGV[1])
  if s == 'SOLD_OUT' then redis.call('SET', KEYS[2], '1', 'EX', ARGV[3]) end
end
return 1
`)

// KEYS: holders, sold-out flag, loaded marker. ARGV: total (-1 = unlimited), ttl, holders...
// A union with whatever the set holds now: reservations made while loading are kept.
const loadScript = redisScript(`
for i = 3, #ARGV, 1000 do
  redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
local total = tonumber(ARGV[1])
if total >= 0 and #ARGV - 2 >= total then redis.call('SET', KEYS[2], '1', 'EX', ARGV[2]) end
if #ARGV > 2 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[2])
return 1
`)

export interface CouponIssueGate {
  readonly admit: (
    template: CouponTemplate,
    userId: UserId,
    requireLoaded: boolean,
  ) => Effect.Effect<GateVerdict, PersistenceUnavailable>
  readonly settle: (
    templateId: CouponTemplateId,
    userId: UserId,
    settlement: GateSettlement,
  ) => Effect.Effect<void, PersistenceUnavailable>
  readonly load: (
    template: CouponTemplate,
    holders: ReadonlyArray<UserId>,
  ) => Effect.Effect<void, PersistenceUnavailable>
}

export const makeCouponIssueGate = (redis: RedisConnection): CouponIssueGate => {
  const keys = (templateId: CouponTemplateId) => [
    redis.key("coupon", templateId, "holders"),
    redis.key("coupon", templateId, "soldout"),
    redis.key("coupon", templateId, "loaded"),
  ]
  const totalOf = (template: CouponTemplate) => template.totalQuantity ?? -1
  return {
    admit: (template, userId, requireLoaded) =>
      Effect.map(
        redis.script(admitScript, keys(template.id), [
          userId,
          totalOf(template),
          GATE_TTL_SECONDS,
          requireLoaded ? "1" : "0",
        ]),
        (reply) => reply as GateVerdict,
      ),
    settle: (templateId, userId, settlement) =>
      Effect.asVoid(redis.script(settleScript, keys(templateId), [userId, settlement, GATE_TTL_SECONDS])),
    load: (template, holders) =>
      Effect.asVoid(redis.script(loadScript, keys(template.id), [totalOf(template), GATE_TTL_SECONDS, ...holders])),
  }
}
