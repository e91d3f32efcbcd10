import { couponTemplateRepositoryContract } from "@commerce-core/domain/testing"
import { Layer } from "effect"
import { CouponTemplateRepositoryMemory, MemoryDatabaseLive } from "../../src/index.js"

couponTemplateRepositoryContract(() => CouponTemplateRepositoryMemory.pipe(Layer.provide(MemoryDatabaseLive)))
