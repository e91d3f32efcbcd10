export * from "./TransactorContract.js"
