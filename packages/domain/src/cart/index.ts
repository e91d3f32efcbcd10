export * from "./CartErrors.js"
export * from "./CartLine.js"
export * from "./CartRepository.js"
export * from "./CartService.js"
