export * from "./LikeRepositoryMysql.js"
//# sourceMappingURL=index.d.ts.map
