import { engineApiSuite } from "./ApiScenarios.js"

engineApiSuite("the API on MySQL with Redis in the hot paths (MYSQL_URL + REDIS_URL)", { redis: true })
