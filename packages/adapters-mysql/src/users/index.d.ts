export * from "./UserRepositoryMysql.js"
//# sourceMappingURL=index.d.ts.map
