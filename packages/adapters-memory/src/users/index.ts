export * from "./PasswordHasherScrypt.js"
export * from "./UserRepositoryMemory.js"
