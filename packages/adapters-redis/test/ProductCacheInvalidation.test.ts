import { DomainEvent, type DomainEventTag } from "@commerce-core/domain"
import { SchemaAST } from "effect"
import { describe, expect, it } from "vitest"
import { CACHE_INVALIDATING_EVENTS, productTouchedBy } from "../src/catalog/ProductCacheInvalidation.js"

const allTags = DomainEvent.members.map((member) => {
  const ast = member.fields._tag.ast
  if (ast._tag !== "PropertySignatureDeclaration" || !SchemaAST.isLiteral(ast.type)) throw new Error("untagged event")
  return ast.type.literal as DomainEventTag
})

describe("product cache invalidation", () => {
  it("takes an interest in exactly the events it acts on, so views cost it no inbox write", () => {
    expect(allTags.length).toBeGreaterThan(15)
    for (const tag of allTags) {
      const acts =
        tag === "BrandCreated" ||
        tag === "BrandActivationChanged" ||
        productTouchedBy({ _tag: tag, productId: 1 } as DomainEvent) !== undefined
      expect([tag, CACHE_INVALIDATING_EVENTS.has(tag)]).toEqual([tag, acts])
    }
    expect(CACHE_INVALIDATING_EVENTS.has("ProductViewed")).toBe(false)
  })
})
