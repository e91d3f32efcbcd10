export * from "./UserRepositoryMysql.js"
