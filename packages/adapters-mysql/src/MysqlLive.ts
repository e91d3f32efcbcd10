import type { PersistenceUnavailable } from "@commerce-core/domain"
import type { SqlClient } from "@effect/sql/SqlClient"
import type { MysqlClient } from "@effect/sql-mysql2/MysqlClient"
import { Layer } from "effect"
import type { ConfigError } from "effect/ConfigError"
import { CartRepositoryMysql } from "./cart/index.js"
import { CatalogMysql } from "./catalog/index.js"
import { CouponsMysql } from "./coupons/index.js"
import { EventOutboxMysql } from "./EventOutboxMysql.js"
import { IdempotencyStoreMysql } from "./idempotency/index.js"
import { LikeRepositoryMysql } from "./likes/index.js"
import { MysqlClientLive } from "./MysqlClientLive.js"
import { MigrationsLive } from "./migrations/Migrations.js"
import { OrderRepositoryMysql } from "./orders/index.js"
import { EventInboxMysql, OutboxRelayStoreMysql } from "./pipeline/index.js"
import { PointWalletRepositoryMysql } from "./points/index.js"
import { PeriodRankingRepositoryMysql, ProductMetricsRepositoryMysql, RankingBoardMysql } from "./ranking/index.js"
import { TransactorMysql } from "./TransactorMysql.js"
import { UserRepositoryMysql } from "./users/index.js"

/** Every port that has a MySQL adapter, on the SqlClient in context. */
export const MysqlAdapters = Layer.mergeAll(
  TransactorMysql,
  EventOutboxMysql,
  UserRepositoryMysql,
  PointWalletRepositoryMysql,
  CatalogMysql,
  LikeRepositoryMysql,
  CartRepositoryMysql,
  CouponsMysql,
  OrderRepositoryMysql,
  EventInboxMysql,
  OutboxRelayStoreMysql,
  ProductMetricsRepositoryMysql,
  PeriodRankingRepositoryMysql,
  RankingBoardMysql,
  IdempotencyStoreMysql,
)

export type MysqlAdapterServices = Layer.Layer.Success<typeof MysqlAdapters>

/** The client from `MYSQL_URL`/`MYSQL_POOL_SIZE`, migrated before anything uses it. */
export const MysqlMigratedClientLive: Layer.Layer<SqlClient | MysqlClient, ConfigError | PersistenceUnavailable> =
  Layer.provideMerge(MigrationsLive, MysqlClientLive)

/** Everything MySQL provides, configured from the environment and migrated at start-up. */
export const MysqlLive: Layer.Layer<
  MysqlAdapterServices | SqlClient | MysqlClient,
  ConfigError | PersistenceUnavailable
> = MysqlAdapters.pipe(Layer.provideMerge(MysqlMigratedClientLive))
