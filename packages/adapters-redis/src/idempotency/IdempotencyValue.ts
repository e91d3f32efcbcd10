/**
 * One string per scope. In progress: "P" + fingerprint, set with SET NX PX lease. Completed:
 * "C" + fingerprint length + ":" + fingerprint + result, kept for the retention. Both are
 * built and parsed here in JS, so lengths are JS string lengths on both sides.
 */
export const inProgress = (fingerprint: string) => `P${fingerprint}`
export const completed = (fingerprint: string, result: string) => `C${fingerprint.length}:${fingerprint}${result}`

export type Stored =
  | { readonly state: "running"; readonly fingerprint: string }
  | { readonly state: "done"; readonly fingerprint: string; readonly result: string }

export const parseStored = (value: string): Stored | undefined => {
  if (value.startsWith("P")) return { state: "running", fingerprint: value.slice(1) }
  if (!value.startsWith("C")) return undefined
  const colon = value.indexOf(":")
  const length = Number(value.slice(1, colon))
  if (colon < 0 || !Number.isSafeInteger(length)) return undefined
  return {
    state: "done",
    fingerprint: value.slice(colon + 1, colon + 1 + length),
    result: value.slice(colon + 1 + length),
  }
}
