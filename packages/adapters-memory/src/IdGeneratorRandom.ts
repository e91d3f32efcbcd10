import { randomFillSync } from "node:crypto"
import { type EventId, IdGenerator, makeIdGenerator } from "@commerce-core/domain"
import { Layer } from "effect"

const HEX_DIGITS = "0123456789abcdef"
/** Where each of a UUID's 16 bytes goes in its 36 characters (the dashes sit at 8, 13, 18 and 23). */
const BYTE_POSITIONS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34]
const IDS_PER_FILL = 256

/**
 * Random (version 4) UUIDs from node:crypto's random bytes, drawn 256 ids' worth at a time.
 * The text is built as one flat string: node's randomUUID concatenates, so a kept id would be a
 * tree of about thirteen strings (~490 bytes of heap instead of ~70), and flattening it costs an
 * allocation of its own. Outboxes, inboxes and events keep every id.
 */
const makeRandomUuid = (): (() => EventId) => {
  const random = new Uint8Array(16 * IDS_PER_FILL)
  let offset = random.length
  const codes = Array.from("00000000-0000-0000-0000-000000000000", (c) => c.charCodeAt(0))
  const digit = Array.from(HEX_DIGITS, (c) => c.charCodeAt(0))
  return () => {
    if (offset === random.length) {
      randomFillSync(random)
      offset = 0
    }
    for (let i = 0; i < 16; i++) {
      let byte = random[offset + i] as number
      // byte 6 carries the version (4), byte 8 the RFC 4122 variant
      if (i === 6) byte = (byte & 0x0f) | 0x40
      else if (i === 8) byte = (byte & 0x3f) | 0x80
      const at = BYTE_POSITIONS[i] as number
      codes[at] = digit[byte >> 4] as number
      codes[at + 1] = digit[byte & 0x0f] as number
    }
    offset += 16
    return String.fromCharCode.apply(null, codes) as EventId
  }
}

export const IdGeneratorRandom = Layer.sync(IdGenerator, () => makeIdGenerator(makeRandomUuid()))
