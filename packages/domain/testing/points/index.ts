export { pointWalletRepositoryContract } from "./PointWalletRepositoryContract.js"
