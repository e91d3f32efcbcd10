import { Schema } from "effect"
import { UserId } from "../shared/Ids.js"
import { eventFields } from "./EventFields.js"

export const UserSignedUp = Schema.TaggedStruct("UserSignedUp", {
  ...eventFields,
  userId: UserId,
  loginId: Schema.String,
})
export type UserSignedUp = typeof UserSignedUp.Type
