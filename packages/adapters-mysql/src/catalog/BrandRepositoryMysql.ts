import {
  Brand,
  BrandId,
  BrandNotFound,
  BrandRepository,
  type CatalogDescription,
  type CatalogName,
} from "@commerce-core/domain"
import { Effect, Layer, Option } from "effect"
import { affectedRows, insertId, makeDb } from "../internal/Db.js"

interface BrandRow {
  readonly id: number
  readonly name: string
  readonly description: string
  readonly active: number
  readonly created_at: Date
}

/** Rows were validated on their way in, so they are mapped without re-validation (~100 µs a row). */
const toBrand = (row: BrandRow) =>
  new Brand(
    {
      id: Number(row.id) as BrandId,
      name: row.name as CatalogName,
      description: row.description as CatalogDescription,
      active: Number(row.active) === 1,
      createdAt: row.created_at,
    },
    true,
  )

export const BrandRepositoryMysql = Layer.effect(
  BrandRepository,
  Effect.gen(function* () {
    const { sql, run, atomic } = yield* makeDb
    const findById = (id: BrandId) =>
      run(sql<BrandRow>`SELECT id, name, description, active, created_at FROM brand WHERE id = ${id}`).pipe(
        Effect.map((rows) => Option.map(Option.fromNullable(rows[0]), toBrand)),
      )
    return BrandRepository.of({
      insert: (brand) =>
        run(
          sql`INSERT INTO brand ${sql.insert({
            name: brand.name,
            description: brand.description,
            active: brand.active ? 1 : 0,
            created_at: brand.createdAt,
          })}`.raw,
        ).pipe(Effect.map((raw) => new Brand({ id: BrandId.make(insertId(raw)), ...brand }))),
      findById,
      setActive: (id, active) =>
        atomic(
          Effect.gen(function* () {
            const updated = yield* run(sql`UPDATE brand SET active = ${active ? 1 : 0} WHERE id = ${id}`.raw)
            if (affectedRows(updated) === 0) return yield* new BrandNotFound({ brandId: id })
            return yield* Effect.flatMap(findById(id), (brand) =>
              Option.isSome(brand) ? Effect.succeed(brand.value) : Effect.fail(new BrandNotFound({ brandId: id })),
            )
          }),
        ),
    })
  }),
)
