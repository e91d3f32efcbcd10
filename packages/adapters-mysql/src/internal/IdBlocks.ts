import { Effect } from "effect"

/** Ids handed out per block number: block n owns [n * ID_BLOCK_SIZE, (n + 1) * ID_BLOCK_SIZE). */
export const ID_BLOCK_SIZE = 100

/**
 * Unique ids for any number of processes from a counter read once per block instead of once
 * per id. Block numbers must be unique and increasing (an auto-increment counter), and greater
 * than any id handed out one at a time before, so that n * ID_BLOCK_SIZE cannot meet one.
 * A block's unused ids die with the process: ids have gaps, as auto-increment ids do.
 */
export const makeIdBlocks = <E, R, Id>(nextBlock: Effect.Effect<number, E, R>, brand: (id: number) => Id) =>
  Effect.map(Effect.makeSemaphore(1), (oneFetch) => {
    let next = 0
    let end = 0
    const take = () => brand(next++)
    const refill = oneFetch.withPermits(1)(
      Effect.suspend(() =>
        next < end
          ? Effect.sync(take)
          : Effect.map(nextBlock, (block) => {
              next = block * ID_BLOCK_SIZE
              end = next + ID_BLOCK_SIZE
              return take()
            }),
      ),
    )
    return { next: Effect.suspend(() => (next < end ? Effect.sync(take) : refill)) }
  })
