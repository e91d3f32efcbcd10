import { randomBytes, scrypt, timingSafeEqual } from "node:crypto"
import { PasswordHasher } from "@commerce-core/domain"
import { Effect, Layer } from "effect"

/** scrypt cost: N = 2^logN, block size r, parallelism p. */
export interface ScryptParams {
  readonly logN: number
  readonly r: number
  readonly p: number
}

/** Node's own default cost (16 MiB of memory, tens of milliseconds per hash). */
export const defaultScryptParams: ScryptParams = { logN: 14, r: 8, p: 1 }

const SALT_BYTES = 16
const KEY_BYTES = 64
/** Bounds for parameters read back from a stored hash, so a corrupt row cannot exhaust memory. */
const MAX_LOG_N = 20
const MAX_R = 16
const MAX_P = 4
const MAX_MEMORY_BYTES = 128 * 1024 * 1024

const memoryFor = ({ logN, r }: ScryptParams) => 128 * r * 2 ** logN * 2

const derive = (plain: string, salt: Buffer, keyLength: number, params: ScryptParams) =>
  Effect.async<Buffer>((resume) => {
    scrypt(
      plain.normalize("NFC"),
      salt,
      keyLength,
      { N: 2 ** params.logN, r: params.r, p: params.p, maxmem: memoryFor(params) },
      (error, key) => resume(error ? Effect.die(error) : Effect.succeed(key)),
    )
  })

const encode = (params: ScryptParams, salt: Buffer, key: Buffer) =>
  `scrypt$ln=${params.logN},r=${params.r},p=${params.p}$${salt.toString("base64")}$${key.toString("base64")}`

const encodedPattern = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]+={0,2})\$([A-Za-z0-9+/]+={0,2})$/

interface Decoded {
  readonly params: ScryptParams
  readonly salt: Buffer
  readonly key: Buffer
}

const decode = (encoded: string): Decoded | undefined => {
  const m = encodedPattern.exec(encoded)
  if (m === null) return undefined
  const params = { logN: Number(m[1]), r: Number(m[2]), p: Number(m[3]) }
  if (params.logN < 1 || params.logN > MAX_LOG_N || params.r < 1 || params.r > MAX_R) return undefined
  if (params.p < 1 || params.p > MAX_P || 128 * params.r * 2 ** params.logN > MAX_MEMORY_BYTES) return undefined
  const salt = Buffer.from(m[4]!, "base64")
  const key = Buffer.from(m[5]!, "base64")
  if (salt.length < 8 || key.length < 16 || key.length > 128) return undefined
  return { params, salt, key }
}

/**
 * Hashes as `scrypt$ln=14,r=8,p=1$<salt>$<key>` (base64), so the cost can be raised later
 * while old hashes keep verifying with the parameters they were made with.
 */
export const makePasswordHasherScrypt = (params: ScryptParams = defaultScryptParams) =>
  PasswordHasher.of({
    hash: (plain) =>
      Effect.gen(function* () {
        const salt = randomBytes(SALT_BYTES)
        const key = yield* derive(plain, salt, KEY_BYTES, params)
        return encode(params, salt, key)
      }),
    verify: (plain, encoded) =>
      Effect.suspend(() => {
        const decoded = decode(encoded)
        if (decoded === undefined) return Effect.succeed(false)
        return Effect.map(derive(plain, decoded.salt, decoded.key.length, decoded.params), (key) =>
          timingSafeEqual(key, decoded.key),
        )
      }),
  })

/** The default hasher of every deployment. */
export const PasswordHasherScrypt = Layer.sync(PasswordHasher, () => makePasswordHasherScrypt())

/** The same hasher at another cost (a cheaper one keeps tests fast). */
export const PasswordHasherScryptWith = (params: ScryptParams) =>
  Layer.sync(PasswordHasher, () => makePasswordHasherScrypt(params))
