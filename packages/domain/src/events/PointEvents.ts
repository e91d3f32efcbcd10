import { Schema } from "effect"
import { OrderId, UserId } from "../shared/Ids.js"
import { Money } from "../shared/Money.js"
import { eventFields } from "./EventFields.js"

const walletChange = {
  ...eventFields,
  userId: UserId,
  amount: Money,
  balanceAfter: Money,
}

export const PointsCharged = Schema.TaggedStruct("PointsCharged", walletChange)
export type PointsCharged = typeof PointsCharged.Type

export const PointsUsed = Schema.TaggedStruct("PointsUsed", { ...walletChange, orderId: OrderId })
export type PointsUsed = typeof PointsUsed.Type

export const PointsRefunded = Schema.TaggedStruct("PointsRefunded", { ...walletChange, orderId: OrderId })
export type PointsRefunded = typeof PointsRefunded.Type
