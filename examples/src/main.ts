import { runChargeAndBrowse } from "./ChargeAndBrowse.js"

const result = await runChargeAndBrowse()
console.log(JSON.stringify(result, null, 2))
