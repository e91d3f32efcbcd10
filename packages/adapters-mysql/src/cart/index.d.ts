export * from "./CartRepositoryMysql.js"
//# sourceMappingURL=index.d.ts.map
