import { lookup } from "node:dns/promises";
import net from "node:net";
import { buildConnector } from "undici";
import type { AddressGuard } from "./address-guard.js";
import { WebFetchError } from "./errors.js";

/** Every address a host name resolves to (DNS, /etc/hosts), in the resolver's order. */
export type Resolve = (hostname: string) => Promise<string[]>;

export const systemResolve: Resolve = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

/**
 * An undici connector that checks the address it is about to connect to. undici's `connect.lookup` is
 * not called for IP-literal hosts (`http://127.0.0.1`, `http://[::ffff:7f00:1]`), so the literal is
 * checked here first; a name is resolved here, every address it has is checked (one private answer
 * refuses the host: a mixed answer is how rebinding starts), and the socket goes to the checked address
 * itself, so a second, different DNS answer can never be used. TLS still verifies the certificate
 * against the name (`servername`).
 */
export function guardedConnector(
  guard: AddressGuard,
  options: { resolve: Resolve; connectTimeoutMs: number },
): buildConnector.connector {
  const connect = buildConnector({ timeout: options.connectTimeoutMs });
  return (target, callback) => {
    const host = target.hostname.replace(/^\[|\]$/g, "");
    const port = Number(target.port) || (target.protocol === "https:" ? 443 : 80);
    const url = `${target.protocol}//${target.host ?? target.hostname}`;
    const refuse = (address: string, range: string) =>
      callback(
        new WebFetchError("refused_address", url, `refused to connect to ${address} (${range})`, {
          params: { address, range },
        }),
        null,
      );

    if (net.isIP(host)) {
      const refusal = guard.refusal(host, host, port);
      if (refusal) refuse(refusal.address, refusal.range);
      else connect({ ...target, hostname: host }, callback);
      return;
    }
    options.resolve(host).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(
            new WebFetchError("dns_failed", url, `no address for ${host}`, { params: { host } }),
            null,
          );
          return;
        }
        for (const address of addresses) {
          const refusal = guard.refusal(address, host, port);
          if (refusal) return refuse(refusal.address, refusal.range);
        }
        connectToFirst(connect, target, host, addresses, callback);
      },
      (error: unknown) =>
        callback(
          new WebFetchError("dns_failed", url, `cannot resolve ${host}`, { params: { host }, cause: error }),
          null,
        ),
    );
  };
}

/** Tries the checked addresses in order until one connects (an IPv6 answer on an IPv4-only network). */
function connectToFirst(
  connect: buildConnector.connector,
  target: buildConnector.Options,
  servername: string,
  addresses: readonly string[],
  callback: buildConnector.Callback,
  index = 0,
): void {
  connect({ ...target, hostname: addresses[index] as string, servername }, (error, socket) => {
    if (error && index + 1 < addresses.length) {
      connectToFirst(connect, target, servername, addresses, callback, index + 1);
      return;
    }
    if (error) callback(error, null);
    else callback(null, socket as NonNullable<typeof socket>);
  });
}
