import { describe, expect, it } from "vitest";
import { hiddenLinkHost, revealLinkHosts } from "../../src/vocabulary/index.js";

describe("link hosts beside labels", () => {
  it("names the real host when the label is anything but the URL", () => {
    expect(hiddenLinkHost("your bank", "https://evil.example/x")).toBe("evil.example");
    // A label that looks like another address is the classic disguise.
    expect(hiddenLinkHost("https://bank.example", "https://evil.example")).toBe("evil.example");
    // User info before the host is not the host; international names show as punycode.
    expect(hiddenLinkHost("bank", "https://bank.example@evil.example/")).toBe("evil.example");
    expect(hiddenLinkHost("paypal", "https://pаypal.com/")).toBe("xn--pypal-4ve.com");
    expect(hiddenLinkHost("admin", "http://127.0.0.1:8080/")).toBe("127.0.0.1:8080");
  });

  it("adds nothing when the label already shows the URL", () => {
    expect(hiddenLinkHost("https://a.example/x", "https://a.example/x")).toBeUndefined();
    expect(hiddenLinkHost("a.example", "https://a.example/")).toBeUndefined();
    expect(hiddenLinkHost(" HTTPS://A.example/ ", "https://a.example")).toBeUndefined();
  });

  it("reveals hosts in Markdown outside code, in every link form", () => {
    expect(revealLinkHosts("Log in at [your bank](https://evil.example/x) now")).toBe(
      "Log in at [your bank](https://evil.example/x) (evil.example) now",
    );
    expect(revealLinkHosts('[a [b] c](<https://e.example/p> "t")')).toBe(
      '[a [b] c](<https://e.example/p> "t") (e.example)',
    );
    expect(revealLinkHosts("[https://x.example](https://x.example)")).toBe(
      "[https://x.example](https://x.example)",
    );
    const code = "`[bank](https://evil.example)`\n```\n[bank](https://evil.example)\n```";
    expect(revealLinkHosts(code)).toBe(code);
  });
});
