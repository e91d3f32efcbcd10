export { userRepositoryContract } from "./UserRepositoryContract.js"
