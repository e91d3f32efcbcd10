import { Schema } from "effect"
import { OrderId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"

/** CHARGE and REFUND add to the balance, USE takes from it. */
export const LedgerEntryType = Schema.Literal("CHARGE", "USE", "REFUND")
export type LedgerEntryType = typeof LedgerEntryType.Type

/** One change of a wallet. `orderId` is set for USE and REFUND (encoded as null when absent). */
export class LedgerEntry extends Schema.Class<LedgerEntry>("LedgerEntry")({
  type: LedgerEntryType,
  amount: Money,
  balanceAfter: Money,
  orderId: Schema.OptionFromNullOr(OrderId),
  createdAt: Schema.Date,
}) {}

/** The signed effect of an entry on the balance. */
export const signedAmount = (entry: Pick<LedgerEntry, "type" | "amount">): number =>
  entry.type === "USE" ? -entry.amount : entry.amount
