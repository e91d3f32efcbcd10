import {
  CouponTemplate,
  CouponTemplateId,
  CouponTemplateRepository,
  type CouponType,
  type Money,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { insertId, makeDb } from "../internal/Db.js"

interface TemplateRow {
  readonly id: number
  readonly name: string
  readonly type: CouponType
  readonly value: number | string
  readonly max_discount: number | string | null
  readonly min_order_amount: number | string | null
  readonly total_quantity: number | string | null
  readonly issue_starts_at: Date
  readonly issue_ends_at: Date
  readonly valid_days: number
  readonly created_at: Date
}

/** Rows were validated on their way in, so they are mapped without re-validation (~100 µs a row). */
const toTemplate = (row: TemplateRow) =>
  new CouponTemplate(
    {
      id: Number(row.id) as CouponTemplateId,
      name: row.name,
      type: row.type,
      value: Number(row.value),
      ...(row.max_discount === null ? {} : { maxDiscount: Number(row.max_discount) as Money.Money }),
      ...(row.min_order_amount === null ? {} : { minOrderAmount: Number(row.min_order_amount) as Money.Money }),
      ...(row.total_quantity === null ? {} : { totalQuantity: Number(row.total_quantity) }),
      issueStartsAt: row.issue_starts_at,
      issueEndsAt: row.issue_ends_at,
      validDays: Number(row.valid_days),
      createdAt: row.created_at,
    },
    true,
  )

/** Coupon templates; `issued_count` is the first-come-first-served gate that IssuedCouponRepositoryMysql moves. */
export const CouponTemplateRepositoryMysql = Layer.effect(
  CouponTemplateRepository,
  Effect.gen(function* () {
    const { sql, run } = yield* makeDb
    return CouponTemplateRepository.of({
      insert: (template) =>
        run(
          sql`INSERT INTO coupon_template ${sql.insert({
            name: template.name,
            type: template.type,
            value: template.value,
            max_discount: template.maxDiscount ?? null,
            min_order_amount: template.minOrderAmount ?? null,
            total_quantity: template.totalQuantity ?? null,
            issued_count: 0,
            issue_starts_at: template.issueStartsAt,
            issue_ends_at: template.issueEndsAt,
            valid_days: template.validDays,
            created_at: template.createdAt,
          })}`.raw,
        ).pipe(Effect.map((raw) => new CouponTemplate({ ...template, id: CouponTemplateId.make(insertId(raw)) }))),
      findById: (id) =>
        run(sql<TemplateRow>`SELECT id, name, type, value, max_discount, min_order_amount, total_quantity,
          issue_starts_at, issue_ends_at, valid_days, created_at FROM coupon_template WHERE id = ${id}`).pipe(
          Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toTemplate)),
        ),
    })
  }),
)
