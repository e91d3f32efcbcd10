import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { type ApiServer, freshLoginId, startApiServer } from "../support/ApiServer.js"
import { expectFailure, expectSuccess } from "../support/Http.js"

let api: ApiServer
beforeAll(async () => {
  api = await startApiServer()
})
afterAll(() => api.server.close())

describe("users (token mode)", () => {
  it("signs up, logs in and reads the caller", async () => {
    const loginId = freshLoginId()
    const body = {
      userId: loginId,
      email: `${loginId}@x.io`,
      gender: "MALE",
      birthDate: "2000-02-29",
      password: "longenough",
    }
    const created = expectSuccess(await api.client.post("/api/v1/users", { body }), 201)
    expect(created).toEqual({
      id: expect.any(Number),
      userId: loginId,
      email: body.email,
      gender: "MALE",
      birthDate: "2000-02-29",
    })
    const login = expectSuccess(
      await api.client.post("/api/v1/auth/login", { body: { userId: loginId, password: "longenough" } }),
    )
    expect(login.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/)
    const me = expectSuccess(await api.client.get("/api/v1/users/me", { token: login.accessToken }))
    expect(me).toEqual(created)
  })

  it("refuses a taken login id with 409 USER_ALREADY_EXISTS", async () => {
    const user = await api.signUp()
    const body = {
      userId: user.loginId,
      email: "other@x.io",
      gender: "MALE",
      birthDate: "1990-01-01",
      password: "longenough",
    }
    expectFailure(await api.client.post("/api/v1/users", { body }), 409, "USER_ALREADY_EXISTS")
  })

  it.each([
    [{ userId: "toolongid123" }, "userId"],
    [{ email: "not-an-email" }, "email"],
    [{ gender: "OTHER" }, "gender"],
    [{ birthDate: "1990-13-01" }, "birthDate"],
    [{ birthDate: "2999-01-01" }, "birthDate"],
    [{ password: "short" }, "password"],
    [{ password: undefined }, "password"],
  ])("refuses an invalid sign-up %o with 400", async (patch, field) => {
    const loginId = freshLoginId()
    const body = {
      userId: loginId,
      email: `${loginId}@x.io`,
      gender: "MALE",
      birthDate: "1990-01-01",
      password: "longenough",
      ...patch,
    }
    const message = expectFailure(await api.client.post("/api/v1/users", { body }), 400, "BAD_REQUEST")
    expect(message.toLowerCase()).toContain(field.toLowerCase().replace("userid", "id"))
  })

  it("answers a wrong password and an unknown user alike with 401", async () => {
    const user = await api.signUp()
    const wrong = await api.client.post("/api/v1/auth/login", {
      body: { userId: user.loginId, password: "wrong-password" },
    })
    const unknown = await api.client.post("/api/v1/auth/login", {
      body: { userId: "nobody1", password: "wrong-password" },
    })
    const a = expectFailure(wrong, 401, "UNAUTHORIZED")
    const b = expectFailure(unknown, 401, "UNAUTHORIZED")
    expect(a).toBe(b)
  })

  it("needs credentials for /users/me", async () => {
    expectFailure(await api.client.get("/api/v1/users/me"), 401, "UNAUTHORIZED")
  })
})

describe("points", () => {
  it("starts at 0, charges, and lists the ledger newest first", async () => {
    const user = await api.signUp()
    expect(await api.balance(user)).toBe(0)
    expect(await api.charge(user, 5_000)).toEqual({ totalPoint: 5_000 })
    expect(await api.charge(user, 2_000)).toEqual({ totalPoint: 7_000 })
    const history = expectSuccess(await api.client.get("/api/v1/points/history?size=1", { headers: user.headers }))
    expect(history).toMatchObject({ page: 0, size: 1, totalElements: 2, totalPages: 2, hasNext: true })
    expect(history.items).toEqual([
      { type: "CHARGE", amount: 2_000, balanceAfter: 7_000, orderId: null, createdAt: expect.any(String) },
    ])
  })

  it("refuses charges outside the policy and changes nothing", async () => {
    const user = await api.signUp()
    expectFailure(
      await api.client.post("/api/v1/points/charge", { headers: user.headers, body: { reqPoint: 999 } }),
      400,
      "INVALID_CHARGE_AMOUNT",
    )
    expectFailure(
      await api.client.post("/api/v1/points/charge", { headers: user.headers, body: { reqPoint: 10_000_001 } }),
      400,
      "INVALID_CHARGE_AMOUNT",
    )
    expectFailure(
      await api.client.post("/api/v1/points/charge", { headers: user.headers, body: { reqPoint: "1000" } }),
      400,
      "BAD_REQUEST",
    )
    expect(await api.balance(user)).toBe(0)
  })

  it("replays a charge sent again with the same Idempotency-Key", async () => {
    const user = await api.signUp()
    const send = (reqPoint: number, key: string) =>
      api.client.post("/api/v1/points/charge", {
        headers: { ...user.headers, "idempotency-key": key },
        body: { reqPoint },
      })
    expect(expectSuccess(await send(3_000, "charge-1"))).toEqual({ totalPoint: 3_000 })
    const replay = await send(3_000, "charge-1")
    expect(expectSuccess(replay)).toEqual({ totalPoint: 3_000 })
    expect(replay.headers.get("idempotent-replayed")).toBe("true")
    expectFailure(await send(4_000, "charge-1"), 422, "IDEMPOTENCY_KEY_REUSED")
    expect(expectSuccess(await send(4_000, "charge-2"))).toEqual({ totalPoint: 7_000 })
    expect(await api.balance(user)).toBe(7_000)
  })

  it("charges once for 50 concurrent retries with one key", async () => {
    const user = await api.signUp()
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.client.post("/api/v1/points/charge", {
          headers: { ...user.headers, "idempotency-key": "burst" },
          body: { reqPoint: 1_000 },
        }),
      ),
    )
    expect(responses.every((r) => r.status === 200 || r.status === 409)).toBe(true)
    expect(await api.balance(user)).toBe(1_000)
  })
})

describe("gateway mode", () => {
  let gw: ApiServer
  beforeAll(async () => {
    gw = await startApiServer({ config: { authMode: "gateway" } })
  })
  afterAll(() => gw.server.close())

  it("signs up without a password and trusts X-USER-ID", async () => {
    const user = await gw.signUp()
    const me = expectSuccess(await gw.client.get("/api/v1/users/me", { headers: user.headers }))
    expect(me.userId).toBe(user.loginId)
    expectFailure(await gw.client.get("/api/v1/users/me", { headers: { "x-user-id": "ghost" } }), 401, "UNAUTHORIZED")
  })
})
