import {
  type BusinessDate,
  DAILY_BOARD_TTL_MILLIS,
  makePage,
  type Page,
  type PageRequest,
  ProductId,
  type RankedEntry,
  RankingBoard,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { RedisClient, redisScript } from "../RedisClient.js"
import { member, pointsOf } from "./BoardEncoding.js"

/** Boards (and their carry-over markers) expire 2 days after the last write. */
export const BOARD_TTL_SECONDS = DAILY_BOARD_TTL_MILLIS / 1000

// KEYS: from, to, marker. ARGV: permille, ttl seconds. Returns {applied, seeded}.
// Scores are negated points, so positive points are negative scores.
const carryOverScript = redisScript(`
if not redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[2]) then return {0, 0} end
local permille = tonumber(ARGV[1])
local rows = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(0', 'WITHSCORES')
local seeded = 0
for i = 1, #rows, 2 do
  local points = -tonumber(rows[i + 1])
  local carried = math.floor(points * permille / 1000)
  if carried > 0 then
    -- %.0f keeps every digit; Lua's default number formatting keeps only 14.
    redis.call('ZINCRBY', KEYS[2], string.format('%.0f', -carried), rows[i])
    seeded = seeded + 1
  end
end
if seeded > 0 then redis.call('EXPIRE', KEYS[2], ARGV[2]) end
return {1, seeded}
`)

// KEYS: board, the set of event ids applied to it. ARGV: ttl seconds, then per event its id, its
// entry count n and n (member, increment) pairs. An event whose id the set holds already is
// skipped; both keys live as long as the board. Returns how many events were applied.
const incrementEventsScript = redisScript(`
local i = 2
local applied = 0
while i <= #ARGV do
  local n = tonumber(ARGV[i + 1])
  if redis.call('SADD', KEYS[2], ARGV[i]) == 1 then
    for j = i + 2, i + 2 * n, 2 do redis.call('ZINCRBY', KEYS[1], ARGV[j + 1], ARGV[j]) end
    applied = applied + 1
  end
  i = i + 2 + 2 * n
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[1])
return applied
`)

// Reads are scripts rather than MULTI blocks: as atomic, but one command, which the client's
// auto-pipelining sends along with the other requests' commands instead of in a write of its own.
// KEYS: board. ARGV: start, stop. Returns {cardinality, {member, score, ...}}.
const topScript = redisScript(`
return {redis.call('ZCARD', KEYS[1]), redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES')}
`)

// KEYS: board. ARGV: member. Returns {rank (0-based), score} or nil when the member is absent.
const rankOfScript = redisScript(`
local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
if not rank then return false end
return {rank, redis.call('ZSCORE', KEYS[1], ARGV[1])}
`)

export const RankingBoardRedis = Layer.effect(
  RankingBoard,
  Effect.gen(function* () {
    const redis = yield* RedisClient
    const boardKey = (date: BusinessDate) => redis.key("ranking", "all", date)
    const markerKey = (from: BusinessDate, to: BusinessDate) => redis.key("ranking", "carried", from, to)
    const appliedKey = (date: BusinessDate) => redis.key("ranking", "applied", date)

    const top = (date: BusinessDate, request: PageRequest) =>
      redis.script(topScript, [boardKey(date)], [request.offset, request.offset + request.size - 1]).pipe(
        Effect.map((reply): Page<RankedEntry> => {
          const replies = reply as [number, ReadonlyArray<string>]
          const total = Number(replies[0] ?? 0)
          const flat = (replies[1] ?? []) as ReadonlyArray<string>
          const items: Array<RankedEntry> = []
          for (let i = 0; i + 1 < flat.length; i += 2) {
            items.push({
              rank: request.offset + i / 2 + 1,
              productId: ProductId.make(Number(flat[i])),
              points: pointsOf(flat[i + 1] as string),
            })
          }
          return makePage(items, request, total)
        }),
      )

    return RankingBoard.of({
      increment: (date, entries) =>
        entries.length === 0
          ? Effect.void
          : redis
              .transaction("increment", (tx) => {
                for (const entry of entries) tx.zincrby(boardKey(date), -entry.points, member(entry.productId))
                return tx.expire(boardKey(date), BOARD_TTL_SECONDS)
              })
              .pipe(Effect.asVoid),

      incrementEvents: (date, events) => {
        if (events.length === 0) return Effect.void
        const args: Array<string | number> = [BOARD_TTL_SECONDS]
        for (const event of events) {
          args.push(event.eventId, event.entries.length)
          for (const entry of event.entries) args.push(member(entry.productId), -entry.points)
        }
        return Effect.asVoid(redis.script(incrementEventsScript, [boardKey(date), appliedKey(date)], args))
      },

      top,

      rankOf: (date, productId) =>
        redis.script(rankOfScript, [boardKey(date)], [member(productId)]).pipe(
          Effect.map((reply) => {
            const [rank, score] = (reply ?? []) as [number?, string?]
            return typeof rank === "number" && typeof score === "string"
              ? Option.some({ rank: rank + 1, points: pointsOf(score) })
              : Option.none()
          }),
        ),

      carryOver: (from, to, carryOverPermille) =>
        redis
          .script(
            carryOverScript,
            [boardKey(from), boardKey(to), markerKey(from, to)],
            [carryOverPermille, BOARD_TTL_SECONDS],
          )
          .pipe(
            Effect.map((reply) => {
              const [applied, seeded] = reply as [number, number]
              return { applied: applied === 1, seeded }
            }),
          ),
    })
  }),
)
