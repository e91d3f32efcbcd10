export * from "./LikeRepositoryMysql.js"
