import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../../src/config.js";
import { AddressGuard, parseAllowEntry } from "../../../src/tools/web/address-guard.js";

describe("the address guard", () => {
  const guard = new AddressGuard();

  it("allows public unicast addresses, v4 and v6", () => {
    expect(guard.refusal("93.184.216.34", "example.org", 443)).toBeUndefined();
    expect(guard.refusal("2606:4700::1111", "one.one.one.one", 443)).toBeUndefined();
  });

  it("judges IPv4 inside IPv6 as the IPv4 address, and refuses IPv4-compatible and NAT64 forms", () => {
    expect(guard.refusal("::ffff:7f00:1", "x", 80)).toEqual({ address: "127.0.0.1", range: "loopback" });
    expect(guard.refusal("::ffff:10.0.0.1", "x", 80)).toEqual({ address: "10.0.0.1", range: "private" });
    expect(guard.refusal("::7f00:1", "x", 80)).toMatchObject({ range: "reserved" });
    expect(guard.refusal("64:ff9b::a00:1", "x", 80)).toMatchObject({ range: "rfc6052" });
  });

  it("opens hosts, subdomains and ranges listed in OCTO_WEB_ALLOW, and nothing more", () => {
    const open = new AddressGuard({
      allow: ["wiki.corp.example", ".intra.example", "10.20.0.0/16", "192.168.7.7"],
    });
    expect(open.refusal("10.9.9.9", "wiki.corp.example", 443)).toBeUndefined();
    expect(open.refusal("10.9.9.9", "WIKI.corp.example.", 443)).toBeUndefined();
    expect(open.refusal("172.16.0.1", "docs.intra.example", 443)).toBeUndefined();
    expect(open.refusal("172.16.0.1", "intra.example", 443)).toBeUndefined();
    expect(open.refusal("10.20.3.4", "anything", 80)).toBeUndefined();
    expect(open.refusal("192.168.7.7", "anything", 80)).toBeUndefined();
    expect(open.refusal("192.168.7.8", "anything", 80)).toMatchObject({ range: "private" });
    expect(open.refusal("10.9.9.9", "other.corp.example", 443)).toMatchObject({ range: "private" });
    expect(open.refusal("10.9.9.9", "notintra.example", 443)).toMatchObject({ range: "private" });
  });

  it("never opens a cloud metadata endpoint, whatever is allowed", () => {
    const open = new AddressGuard({ allow: ["169.254.0.0/16", "metadata.google.internal", "100.64.0.0/10"] });
    expect(open.refusal("169.254.169.254", "metadata.google.internal", 80)).toMatchObject({
      range: "cloud metadata",
    });
    expect(open.refusal("100.100.100.200", "x", 80)).toMatchObject({ range: "cloud metadata" });
    expect(open.refusal("169.254.1.1", "x", 80)).toBeUndefined();
  });

  it("lets the test-only option open 127.0.0.1 on exactly one port", () => {
    const test = new AddressGuard({ testOnlyLoopbackPort: 4567 });
    expect(test.refusal("127.0.0.1", "127.0.0.1", 4567)).toBeUndefined();
    expect(test.refusal("127.0.0.1", "127.0.0.1", 4568)).toMatchObject({ range: "loopback" });
    expect(test.refusal("127.0.0.2", "127.0.0.2", 4567)).toMatchObject({ range: "loopback" });
    expect(test.refusal("10.0.0.1", "x", 4567)).toMatchObject({ range: "private" });
  });

  it("takes OCTO_WEB_ALLOW from the environment, empty by default, and refuses a malformed entry at start", () => {
    expect(loadConfig({}).OCTO_WEB_ALLOW).toEqual([]);
    expect(loadConfig({ OCTO_WEB_ALLOW: " wiki.corp.example, 10.20.0.0/16 " }).OCTO_WEB_ALLOW).toEqual([
      "wiki.corp.example",
      "10.20.0.0/16",
    ]);
    expect(() => loadConfig({ OCTO_WEB_ALLOW: "https://wiki.corp.example" })).toThrow(ConfigError);
    expect(() => loadConfig({ OCTO_WEB_ALLOW: "https://wiki.corp.example" })).toThrow(
      /^OCTO_WEB_ALLOW: must list/,
    );
  });

  it("reads allow entries and rejects what is neither a host nor a range", () => {
    expect(parseAllowEntry("wiki.corp.example")).toEqual({ kind: "host", host: "wiki.corp.example" });
    expect(parseAllowEntry("*.corp.example")).toEqual({ kind: "domain", domain: "corp.example" });
    expect(parseAllowEntry("10.0.0.0/8")?.kind).toBe("cidr");
    expect(parseAllowEntry("[fd12::1]")?.kind).toBe("cidr");
    for (const bad of ["http://wiki", "10.0.0.0/99", "a b", "", "-bad.example"])
      expect(parseAllowEntry(bad)).toBeUndefined();
    expect(() => new AddressGuard({ allow: ["http://wiki"] })).toThrow(/not a host name/);
  });
});
