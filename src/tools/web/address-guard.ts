import net from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Which addresses the fetcher may connect to. Only public unicast addresses, by default: loopback,
 * private, link-local, carrier-grade NAT, multicast, unspecified, broadcast, reserved and the cloud
 * metadata endpoints are refused, whether they come from DNS or are written in the URL. An IPv4 address
 * hidden in IPv6 (`::ffff:127.0.0.1`) is judged as the IPv4 address it is.
 *
 * `OCTO_WEB_ALLOW` opens named hosts or address ranges on purpose (an intranet wiki); nothing else
 * relaxes the guard, and no entry opens a metadata endpoint.
 */
export interface AddressGuardOptions {
  /** Host names (`wiki.corp.example`, `.corp.example` for its subdomains too) and CIDRs or addresses. */
  allow?: readonly string[];
  /**
   * Test-only: 127.0.0.1 on exactly this port is allowed (the test's own server). Never set from
   * configuration; production code does not pass it.
   */
  testOnlyLoopbackPort?: number;
}

export interface Refusal {
  /** The address as judged (an IPv4-mapped IPv6 address as its IPv4 form). */
  address: string;
  /** What kind of address it is: `loopback`, `private`, `link-local`, `cloud metadata` ... */
  range: string;
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

interface AllowList {
  hosts: Set<string>;
  /** `.corp.example`: the domain and everything under it. */
  domains: string[];
  cidrs: Cidr[];
}

/** Instance metadata services: AWS, GCP, Azure (169.254.169.254), AWS over IPv6, Alibaba, Oracle. */
const METADATA = new Set(["169.254.169.254", "fd00:ec2::254", "100.100.100.200", "192.0.0.192"]);

const RANGE_NAMES: Record<string, string> = {
  loopback: "loopback",
  private: "private",
  uniqueLocal: "private",
  linkLocal: "link-local",
  carrierGradeNat: "carrier-grade NAT",
  multicast: "multicast",
  unspecified: "unspecified",
  broadcast: "broadcast",
};

const HOST_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

function hostKey(host: string): string {
  return host.toLowerCase().replace(/\.$/, "");
}

/** One OCTO_WEB_ALLOW entry, or undefined when it is neither a host name nor an address range. */
export function parseAllowEntry(
  entry: string,
):
  | { kind: "host"; host: string }
  | { kind: "domain"; domain: string }
  | { kind: "cidr"; cidr: Cidr }
  | undefined {
  const text = entry.trim();
  if (text.includes("/"))
    return ipaddr.isValidCIDR(text) ? { kind: "cidr", cidr: ipaddr.parseCIDR(text) } : undefined;
  const bare = text.replace(/^\[|\]$/g, "");
  if (net.isIP(bare)) {
    const address = ipaddr.parse(bare);
    return { kind: "cidr", cidr: [address, address.kind() === "ipv4" ? 32 : 128] };
  }
  const domain = text.startsWith("*.") ? text.slice(2) : text.startsWith(".") ? text.slice(1) : undefined;
  if (domain !== undefined)
    return HOST_NAME.test(hostKey(domain)) ? { kind: "domain", domain: hostKey(domain) } : undefined;
  return HOST_NAME.test(hostKey(text)) ? { kind: "host", host: hostKey(text) } : undefined;
}

function allowListOf(entries: readonly string[]): AllowList {
  const list: AllowList = { hosts: new Set(), domains: [], cidrs: [] };
  for (const entry of entries) {
    const parsed = parseAllowEntry(entry);
    if (!parsed) throw new Error(`not a host name, address or CIDR: "${entry}"`);
    if (parsed.kind === "host") list.hosts.add(parsed.host);
    else if (parsed.kind === "domain") list.domains.push(parsed.domain);
    else list.cidrs.push(parsed.cidr);
  }
  return list;
}

/** The address as it will be reached: IPv4-mapped IPv6 back to IPv4. */
function canonical(address: string): ipaddr.IPv4 | ipaddr.IPv6 {
  const parsed = ipaddr.parse(address.replace(/^\[|\]$/g, "").replace(/%.*$/, ""));
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    return (parsed as ipaddr.IPv6).toIPv4Address();
  return parsed;
}

function inCidr(address: ipaddr.IPv4 | ipaddr.IPv6, cidr: Cidr): boolean {
  return address.kind() === cidr[0].kind() && address.match(cidr);
}

export class AddressGuard {
  private readonly allowed: AllowList;

  constructor(private readonly options: AddressGuardOptions = {}) {
    this.allowed = allowListOf(options.allow ?? []);
  }

  /** The host was opened by name in OCTO_WEB_ALLOW: whatever it resolves to is reachable. */
  allowsHost(hostname: string): boolean {
    const host = hostKey(hostname);
    if (this.allowed.hosts.has(host)) return true;
    return this.allowed.domains.some((domain) => host === domain || host.endsWith(`.${domain}`));
  }

  /** Why connecting to `address` (for `hostname`, on `port`) is refused; undefined when it is allowed. */
  refusal(address: string, hostname: string, port: number): Refusal | undefined {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      parsed = canonical(address);
    } catch {
      return { address, range: "not an IP address" };
    }
    const shown = parsed.toString();
    if (METADATA.has(parsed.toNormalizedString()) || METADATA.has(shown))
      return { address: shown, range: "cloud metadata" };
    if (this.options.testOnlyLoopbackPort !== undefined && port === this.options.testOnlyLoopbackPort) {
      if (shown === "127.0.0.1") return undefined;
    }
    if (this.allowsHost(hostname)) return undefined;
    if (this.allowed.cidrs.some((cidr) => inCidr(parsed, cidr))) return undefined;
    const range = parsed.range();
    // IPv4-compatible IPv6 (::a.b.c.d) is deprecated and never a public destination.
    const compatible =
      parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0);
    if (range === "unicast" && !compatible) return undefined;
    return { address: shown, range: RANGE_NAMES[range] ?? (compatible ? "reserved" : range) };
  }
}
