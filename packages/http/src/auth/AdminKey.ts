import { createHash, timingSafeEqual } from "node:crypto"
import { Redacted } from "effect"

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest()

/**
 * Compares a presented admin key with the configured one in constant time. Both sides are
 * hashed first so that neither the comparison nor an early length check leaks the key's length.
 */
export const makeAdminKeyCheck = (configured: Redacted.Redacted<string>) => {
  const expected = digest(Redacted.value(configured))
  return (presented: string | undefined): boolean =>
    presented !== undefined && presented.length > 0 && timingSafeEqual(digest(presented), expected)
}
