export * from "./OrderRepositoryMysql.js"
