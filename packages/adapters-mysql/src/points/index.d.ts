export * from "./PointWalletRepositoryMysql.js"
//# sourceMappingURL=index.d.ts.map
