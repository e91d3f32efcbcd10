import type { AuthUser } from "../routing/Route.js"

/**
 * Remembers tokens already verified, until they expire, so that a client sending the same
 * token on every request pays for one signature check. Keyed by the whole token: a forged or
 * altered token is a different key and is verified in full. Bounded; the oldest entries go first.
 */
export const makeTokenCache = (maxEntries = 10_000) => {
  const entries = new Map<string, { readonly user: AuthUser; readonly expiresAtMillis: number }>()
  return {
    get: (token: string, nowMillis: number): AuthUser | undefined => {
      const entry = entries.get(token)
      if (entry === undefined) return undefined
      if (entry.expiresAtMillis <= nowMillis) {
        entries.delete(token)
        return undefined
      }
      return entry.user
    },
    set: (token: string, user: AuthUser, expiresAtMillis: number) => {
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next()
        if (!oldest.done) entries.delete(oldest.value)
      }
      entries.set(token, { user, expiresAtMillis })
    },
  }
}
