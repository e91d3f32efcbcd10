import { describe, expect, it } from "@effect/vitest"
import { fc } from "@fast-check/vitest"
import { Effect } from "effect"
import { makePasswordHasherScrypt } from "../../src/users/PasswordHasherScrypt.js"

const strong = makePasswordHasherScrypt()
const cheap = makePasswordHasherScrypt({ logN: 4, r: 8, p: 1 })

describe("PasswordHasherScrypt", () => {
  it.live("writes a self-describing salted hash that verifies only the right password", () =>
    Effect.gen(function* () {
      const hash = yield* strong.hash("correct horse")
      expect(hash).toMatch(/^scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{86}==$/)
      expect(hash).not.toContain("correct horse")
      expect(yield* strong.verify("correct horse", hash)).toBe(true)
      expect(yield* strong.verify("correct horsE", hash)).toBe(false)
      expect(yield* strong.verify("", hash)).toBe(false)
    }),
  )

  it.live("salts every hash: the same password hashes differently, and both verify", () =>
    Effect.gen(function* () {
      const [a, b] = yield* Effect.all([cheap.hash("same password"), cheap.hash("same password")])
      expect(a).not.toBe(b)
      expect(yield* cheap.verify("same password", a!)).toBe(true)
      expect(yield* cheap.verify("same password", b!)).toBe(true)
    }),
  )

  it.live("verifies with the parameters stored in the hash, so the cost can change later", () =>
    Effect.gen(function* () {
      const old = yield* cheap.hash("long-lived password")
      expect(old.startsWith("scrypt$ln=4,r=8,p=1$")).toBe(true)
      expect(yield* strong.verify("long-lived password", old)).toBe(true)
      const current = yield* strong.hash("long-lived password")
      expect(yield* cheap.verify("long-lived password", current)).toBe(true)
    }),
  )

  it.live("answers false, never a defect, for malformed or hostile hashes", () =>
    Effect.gen(function* () {
      const good = yield* cheap.hash("password1")
      const [, , salt, key] = good.split("$")
      const hostile = [
        "",
        "password1",
        "bcrypt$2b$10$abcdefghijklmnopqrstuv",
        `scrypt$ln=4,r=8,p=1$${salt}`,
        `scrypt$ln=30,r=8,p=1$${salt}$${key}`,
        `scrypt$ln=20,r=16,p=1$${salt}$${key}`,
        `scrypt$ln=0,r=8,p=1$${salt}$${key}`,
        `scrypt$ln=4,r=99,p=1$${salt}$${key}`,
        `scrypt$ln=4,r=8,p=9$${salt}$${key}`,
        `scrypt$ln=4,r=8,p=1$${salt}$AAAA`,
        `scrypt$ln=4,r=8,p=1$!!!!$${key}`,
        `scrypt$ln=4,r=8,p=1$${salt}$${key}x`,
      ]
      for (const hash of hostile) expect(yield* cheap.verify("password1", hash)).toBe(false)
      expect(yield* cheap.verify("password1", good)).toBe(true)
    }),
  )

  it.live("treats canonically equivalent Unicode spellings as the same password", () =>
    Effect.gen(function* () {
      const composed = "caf\u00e9 au lait"
      const decomposed = "cafe\u0301 au lait"
      const hash = yield* cheap.hash(composed)
      expect(yield* cheap.verify(decomposed, hash)).toBe(true)
    }),
  )

  it("verifies exactly the password it hashed (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 72, unit: "grapheme" }),
        fc.string({ minLength: 1, maxLength: 72, unit: "grapheme" }),
        async (password, other) => {
          const hash = await Effect.runPromise(cheap.hash(password))
          expect(await Effect.runPromise(cheap.verify(password, hash))).toBe(true)
          const same = other.normalize("NFC") === password.normalize("NFC")
          expect(await Effect.runPromise(cheap.verify(other, hash))).toBe(same)
        },
      ),
      { numRuns: 50 },
    )
  })
})
