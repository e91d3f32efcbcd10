import { engineApiSuite } from "./ApiScenarios.js"

engineApiSuite("the API on MySQL (MYSQL_URL)", { redis: false })
