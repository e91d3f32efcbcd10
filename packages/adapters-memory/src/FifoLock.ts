import { Effect } from "effect"

interface Waiter {
  granted: boolean
  readonly wake: () => void
}

export interface FifoLock {
  /** Takes the lock when it is free; pair a true with one `release`. */
  readonly tryAcquire: () => boolean
  /** Waits for the lock; interruptible while waiting. Pair every success with one `release`. */
  readonly acquire: Effect.Effect<void>
  /** Hands the lock to the longest waiter, or frees it. */
  readonly release: () => void
  /** Runs `self` holding the lock; released however `self` ends. */
  readonly withLock: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
}

/**
 * A mutex that hands the lock to the longest waiter. Effect's Semaphore wakes every waiter on
 * release (each retries), which is quadratic under hundreds of queued transactions.
 */
export const makeFifoLock = (): FifoLock => {
  let locked = false
  const queue: Array<Waiter> = []

  const release = () => {
    const next = queue.shift()
    if (next) next.wake()
    else locked = false
  }

  const acquire = Effect.async<void>((resume) => {
    if (!locked) {
      locked = true
      resume(Effect.void)
      return
    }
    const waiter: Waiter = {
      granted: false,
      wake: () => {
        waiter.granted = true
        resume(Effect.void)
      },
    }
    queue.push(waiter)
    // Interrupted while waiting: leave the queue, or pass on a lock that was handed over already.
    return Effect.sync(() => {
      if (waiter.granted) release()
      else queue.splice(queue.indexOf(waiter), 1)
    })
  })

  const withLock = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.uninterruptibleMask((restore) =>
      Effect.zipRight(restore(acquire), Effect.ensuring(restore(self), Effect.sync(release))),
    )

  const tryAcquire = () => {
    if (locked) return false
    locked = true
    return true
  }

  return { tryAcquire, acquire, release, withLock }
}
