export * from "./LikeRepository.js"
export * from "./LikeService.js"
