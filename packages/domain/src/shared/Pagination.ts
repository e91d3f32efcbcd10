import { Schema } from "effect"

/** 0-based page of at most 100 items; defaults page 0, size 20. */
export class PageRequest extends Schema.Class<PageRequest>("PageRequest")({
  page: Schema.optionalWith(Schema.Int.pipe(Schema.nonNegative(), Schema.lessThanOrEqualTo(1_000_000)), {
    default: () => 0,
  }),
  size: Schema.optionalWith(Schema.Int.pipe(Schema.between(1, 100)), { default: () => 20 }),
}) {
  get offset(): number {
    return this.page * this.size
  }
}

export interface Page<A> {
  readonly items: ReadonlyArray<A>
  readonly page: number
  readonly size: number
  readonly totalElements: number
  readonly totalPages: number
  readonly hasNext: boolean
}

export const makePage = <A>(items: ReadonlyArray<A>, request: PageRequest, totalElements: number): Page<A> => {
  const totalPages = Math.ceil(totalElements / request.size)
  return {
    items,
    page: request.page,
    size: request.size,
    totalElements,
    totalPages,
    hasNext: request.page + 1 < totalPages,
  }
}

/** Pages an in-memory sequence that is already in its final order. */
export const pageOf = <A>(all: ReadonlyArray<A>, request: PageRequest): Page<A> =>
  makePage(all.slice(request.offset, request.offset + request.size), request, all.length)

export const mapPage = <A, B>(page: Page<A>, f: (a: A) => B): Page<B> => ({ ...page, items: page.items.map(f) })
