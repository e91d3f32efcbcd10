import { UserId } from "@commerce-core/domain"
import { Redacted, Schema } from "effect"
import { sign, verify } from "hono/jwt"
import type { AuthUser } from "../routing/Route.js"

const ALGORITHM = "HS256" as const
const ISSUER = "commerce-core"

export interface AccessToken {
  readonly accessToken: string
  readonly expiresAt: string
}

export interface TokenSettings {
  readonly secret: Redacted.Redacted<string>
  readonly ttlSeconds: number
}

const Claims = Schema.Struct({
  sub: Schema.NumberFromString.pipe(Schema.compose(UserId)),
  lid: Schema.String,
  exp: Schema.Number,
})

export interface VerifiedToken {
  readonly user: AuthUser
  readonly expiresAtMillis: number
}
const decodeClaims = Schema.decodeUnknownOption(Claims)

/** A signed, expiring access token naming the user by id (`sub`) and login id (`lid`). */
export const issueToken = async (settings: TokenSettings, user: AuthUser, nowMillis: number): Promise<AccessToken> => {
  const iat = Math.floor(nowMillis / 1000)
  const exp = iat + settings.ttlSeconds
  const accessToken = await sign(
    { sub: String(user.id), lid: user.loginId, iat, exp, iss: ISSUER },
    Redacted.value(settings.secret),
    ALGORITHM,
  )
  return { accessToken, expiresAt: new Date(exp * 1000).toISOString() }
}

/** The user a token names, or undefined when it is malformed, forged, expired or not yet valid. */
export const verifyToken = async (settings: TokenSettings, token: string): Promise<VerifiedToken | undefined> => {
  try {
    const payload = await verify(token, Redacted.value(settings.secret), { alg: ALGORITHM, iss: ISSUER })
    const claims = decodeClaims(payload)
    return claims._tag === "Some"
      ? { user: { id: claims.value.sub, loginId: claims.value.lid }, expiresAtMillis: claims.value.exp * 1000 }
      : undefined
  } catch {
    return undefined
  }
}

/** `Bearer <token>` from an Authorization header. */
export const bearerToken = (header: string | undefined): string | undefined => {
  if (header === undefined) return undefined
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)\s*$/i.exec(header)
  return match?.[1]
}
