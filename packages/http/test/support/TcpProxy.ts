import net from "node:net"

/**
 * A TCP proxy in front of an engine, which a test can cut (refusing and dropping every
 * connection, as an engine that went away) and restore on the same port.
 */
export const startTcpProxy = async (target: { readonly host: string; readonly port: number }) => {
  const sockets = new Set<net.Socket>()
  let server: net.Server | undefined
  let port = 0
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host)
        for (const socket of [client, upstream]) {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
          socket.on("error", () => {
            client.destroy()
            upstream.destroy()
          })
        }
        client.pipe(upstream).pipe(client)
      })
      s.once("error", reject)
      s.listen(port, "127.0.0.1", () => {
        port = (s.address() as net.AddressInfo).port
        server = s
        resolve()
      })
    })
  await listen()
  return {
    port: () => port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        if (server === undefined) return resolve()
        server.close(() => resolve())
        server = undefined
      }),
    restore: listen,
  }
}
