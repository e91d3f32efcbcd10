export * from "./PointWalletConcurrencyContract.js"
export * from "./PointWalletFixtures.js"
export * from "./PointWalletRepositoryContract.js"
