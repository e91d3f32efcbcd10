export * from "./CartRepositoryMysql.js"
