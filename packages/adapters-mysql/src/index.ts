export * from "./EventOutboxMysql.js"
export * from "./MysqlClientLive.js"
export { MigrationsLive, migrations, migrationsTable, runMigrations } from "./migrations/Migrations.js"
export * from "./TransactorMysql.js"
