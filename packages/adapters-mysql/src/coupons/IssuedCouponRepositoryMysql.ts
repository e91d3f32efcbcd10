import {
  CouponAlreadyIssued,
  CouponAlreadyUsed,
  CouponNotFound,
  CouponRestoreOutcome,
  CouponSoldOut,
  type CouponStatus,
  type CouponTemplateId,
  couponExpiresAt,
  IssuedCoupon,
  IssuedCouponId,
  IssuedCouponRepository,
  type OrderId,
  type UserId,
  useCoupon,
} from "@commerce-core/domain"
import { Effect, Either, Layer, Option } from "effect"
import { affectedRows, insertId, makeDb, onDuplicateKey } from "../internal/Db.js"

interface CouponRow {
  readonly id: number
  readonly template_id: number
  readonly user_id: number
  readonly status: CouponStatus
  readonly issued_at: Date
  readonly expires_at: Date
  readonly used_order_id: number | null
  readonly used_at: Date | null
}

/** Rows were validated on their way in, so they are mapped without re-validation (~100 µs a row). */
const toCoupon = (row: CouponRow) =>
  new IssuedCoupon(
    {
      id: Number(row.id) as IssuedCouponId,
      templateId: Number(row.template_id) as CouponTemplateId,
      userId: Number(row.user_id) as UserId,
      status: row.status,
      issuedAt: row.issued_at,
      expiresAt: row.expires_at,
      ...(row.used_order_id === null ? {} : { usedByOrderId: Number(row.used_order_id) as OrderId }),
      ...(row.used_at === null ? {} : { usedAt: row.used_at }),
    },
    true,
  )

/**
 * Issued coupons. `issue` inserts under the unique (template, user) key and then moves the
 * template's counter with `issued_count < total_quantity`, in one round trip; `markUsed` and
 * `restore` are single conditional UPDATEs on the coupon's status, so of racing uses exactly
 * one applies.
 */
export const IssuedCouponRepositoryMysql = Layer.effect(
  IssuedCouponRepository,
  Effect.gen(function* () {
    const { sql, run, atomic, joined } = yield* makeDb
    const columns = sql`id, template_id, user_id, status, issued_at, expires_at, used_order_id, used_at`

    const findById = (id: IssuedCouponId) =>
      run(sql<CouponRow>`SELECT ${columns} FROM issued_coupon WHERE id = ${id}`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toCoupon)),
      )

    /** The latest committed row whatever snapshot the caller's transaction holds. */
    const findLatest = (id: IssuedCouponId) =>
      run(sql<CouponRow>`SELECT ${columns} FROM issued_coupon WHERE id = ${id} LOCK IN SHARE MODE`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toCoupon)),
      )

    const statusFilter = (status: CouponStatus, now: Date) => {
      switch (status) {
        case "AVAILABLE":
          return sql`AND status = 'AVAILABLE' AND expires_at > ${now}`
        case "USED":
          return sql`AND status = 'USED'`
        case "EXPIRED":
          return sql`AND (status = 'EXPIRED' OR (status = 'AVAILABLE' AND expires_at <= ${now}))`
      }
    }

    return IssuedCouponRepository.of({
      issue: (template, userId, now) =>
        atomic(
          Effect.gen(function* () {
            const expiresAt = couponExpiresAt(template, now)
            // One round trip: the row under the unique (template, user) key, then the counter. A
            // holder asking again fails at the INSERT (duplicate key), where the server stops the
            // batch; a refused count undoes the INSERT with the savepoint.
            const results = yield* sql`INSERT INTO issued_coupon ${sql.insert({
              template_id: template.id,
              user_id: userId,
              status: "AVAILABLE",
              issued_at: now,
              expires_at: expiresAt,
            })};
              UPDATE coupon_template SET issued_count = issued_count + 1
              WHERE id = ${template.id} AND (total_quantity IS NULL OR issued_count < total_quantity)`.unprepared.pipe(
              onDuplicateKey(() => new CouponAlreadyIssued({ templateId: template.id, userId })),
              run,
            )
            const [inserted, counted] = results as unknown as readonly [unknown, unknown]
            if (affectedRows(counted) === 0) return yield* new CouponSoldOut({ templateId: template.id })
            return new IssuedCoupon({
              id: IssuedCouponId.make(insertId(inserted)),
              templateId: template.id,
              userId,
              status: "AVAILABLE",
              issuedAt: now,
              expiresAt,
            })
          }),
        ),

      findById,

      listByUser: (userId, filter) =>
        run(sql<CouponRow>`SELECT ${columns} FROM issued_coupon WHERE user_id = ${userId}
          ${filter === undefined ? sql`` : statusFilter(filter.status, filter.now)} ORDER BY id DESC`).pipe(
          Effect.map((rows) => rows.map(toCoupon)),
        ),

      markUsed: (id, userId, orderId, now) =>
        joined(
          Effect.gen(function* () {
            const updated = yield* run(
              sql`UPDATE issued_coupon SET status = 'USED', used_order_id = ${orderId},
              used_at = ${now} WHERE id = ${id} AND user_id = ${userId} AND status = 'AVAILABLE' AND expires_at > ${now}`
                .raw,
            )
            const coupon = yield* findLatest(id)
            if (Option.isNone(coupon)) return yield* new CouponNotFound({ couponId: id })
            if (affectedRows(updated) === 1) return coupon.value
            // Not applied: the domain rule names the reason from the row as it stands. A row that
            // looks usable again was used and restored by racing orders: this use lost the race.
            const verdict = useCoupon(coupon.value, userId, orderId, now)
            return yield* Either.isLeft(verdict)
              ? Effect.fail(verdict.left)
              : Effect.fail(new CouponAlreadyUsed({ couponId: id }))
          }),
        ),

      restore: (id, orderId, now) =>
        joined(
          Effect.gen(function* () {
            const updated = yield* run(
              sql`UPDATE issued_coupon
              SET status = IF(expires_at <= ${now}, 'EXPIRED', 'AVAILABLE'), used_order_id = NULL, used_at = NULL
              WHERE id = ${id} AND status = 'USED' AND used_order_id = ${orderId}`.raw,
            )
            if (affectedRows(updated) === 0) return CouponRestoreOutcome.Unchanged()
            const coupon = yield* findById(id)
            return Option.isSome(coupon)
              ? CouponRestoreOutcome.Restored({ coupon: coupon.value })
              : CouponRestoreOutcome.Unchanged()
          }),
        ),
    })
  }),
)
