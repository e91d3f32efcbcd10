export * from "./PointWalletRepositoryMysql.js"
