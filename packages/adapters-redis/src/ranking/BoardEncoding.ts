/**
 * Members are product ids zero-padded to 16 digits (every safe integer fits) and scores are
 * NEGATED points, so ZRANGE in ascending order lists higher points first and equal points by
 * ascending member, i.e. ascending product id, which plain ZREVRANGE cannot give.
 */
export const member = (productId: number) => String(productId).padStart(16, "0")
// `0 - x` rather than `-x`: a net score of 0 must read back as 0, never -0.
export const pointsOf = (score: string) => 0 - Number(score)
