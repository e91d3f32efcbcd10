import { Context, type Effect } from "effect"

/**
 * Salted slow hashing of passwords. `hash` returns a self-describing string (algorithm,
 * parameters, salt, digest); `verify` is constant-time and answers false for a malformed hash.
 * Both are slow on purpose: never call them inside a transaction.
 */
export class PasswordHasher extends Context.Tag("@commerce-core/domain/PasswordHasher")<
  PasswordHasher,
  {
    readonly hash: (plain: string) => Effect.Effect<string>
    readonly verify: (plain: string, hash: string) => Effect.Effect<boolean>
  }
>() {}
