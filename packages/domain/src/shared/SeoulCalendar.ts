/**
 * Business dates are Asia/Seoul calendar dates. Korea keeps no daylight saving time, so a
 * fixed +09:00 offset is exact for every instant.
 */
const SEOUL_OFFSET_MS = 9 * 60 * 60 * 1000
export const DAY_MS = 24 * 60 * 60 * 1000

const shifted = (epochMillis: number) => new Date(epochMillis + SEOUL_OFFSET_MS)

/** The number of the Seoul day containing the instant (days since 1970-01-01 in Seoul): cheap to compare. */
export const dayNumber = (epochMillis: number): number => Math.floor((epochMillis + SEOUL_OFFSET_MS) / DAY_MS)

const pad = (n: number, width = 2) => String(n).padStart(width, "0")

/** `yyyy-MM-dd` of the Seoul calendar day containing the instant. */
export const isoDate = (epochMillis: number): string => {
  const d = shifted(epochMillis)
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

/** `yyyyMMdd` of the Seoul calendar day containing the instant (ranking keys, query dates). */
export const compactDate = (epochMillis: number): string => isoDate(epochMillis).replaceAll("-", "")

/** The instant at which the given Seoul day (`yyyyMMdd` or `yyyy-MM-dd`) starts. */
export const startOfDay = (date: string): number => {
  const digits = date.replaceAll("-", "")
  const y = Number(digits.slice(0, 4))
  const m = Number(digits.slice(4, 6))
  const d = Number(digits.slice(6, 8))
  return Date.UTC(y, m - 1, d) - SEOUL_OFFSET_MS
}

/** The Seoul day `days` after (or before, when negative) the given `yyyyMMdd` day. */
export const addDays = (compact: string, days: number): string => compactDate(startOfDay(compact) + days * DAY_MS)

const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/
const compactDatePattern = /^(\d{4})(\d{2})(\d{2})$/

const isRealDate = (y: number, m: number, d: number) => {
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

/** True for a real calendar date written `yyyy-MM-dd` (rejects 2024-02-30). */
export const isValidIsoDate = (s: string): boolean => {
  const m = isoDatePattern.exec(s)
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))
}

/** True for a real calendar date written `yyyyMMdd`. */
export const isValidCompactDate = (s: string): boolean => {
  const m = compactDatePattern.exec(s)
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]))
}
