import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isWebFetchError, type WebFailure } from "../../../src/tools/web/errors.js";
import { GuardedWebFetcher, type WebFetcherOptions } from "../../../src/tools/web/fetcher.js";
import { capturingLogger, type LogLine } from "../../support/logs.js";
import { startTestSite, type TestSite } from "./site.js";

let site: TestSite;
/** A second server on 127.0.0.1 standing in for an internal service: nothing may ever reach it. */
let internal: TestSite;
const fetchers: GuardedWebFetcher[] = [];

beforeAll(async () => {
  site = await startTestSite();
  internal = await startTestSite();
});
afterAll(async () => {
  await site.close();
  await internal.close();
});
afterEach(async () => {
  await Promise.all(fetchers.splice(0).map((fetcher) => fetcher.close()));
  site.hits.length = 0;
  internal.hits.length = 0;
});

/** The default guard, exactly as production builds it. */
function defaultFetcher(options: WebFetcherOptions = {}): GuardedWebFetcher {
  const fetcher = new GuardedWebFetcher({ timeoutMs: 5_000, ...options });
  fetchers.push(fetcher);
  return fetcher;
}

/** The test-only option: the default guard, plus 127.0.0.1 on the test site's port and no other. */
function siteFetcher(options: WebFetcherOptions = {}): GuardedWebFetcher {
  return defaultFetcher({ testOnlyLoopbackPort: site.port, ...options });
}

async function failureOf(
  promise: Promise<unknown>,
): Promise<{ code: WebFailure; params: object; url: string }> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isWebFetchError(error)) throw new Error(`expected a WebFetchError, got ${String(error)}`);
  return { code: error.code, params: error.params, url: error.url };
}

describe("the web fetcher on a local site (test-only guard option)", () => {
  it("reads a Korean article as Markdown: title, final URL, headings, absolute links, no navigation", async () => {
    const page = await siteFetcher().fetchPage(`${site.origin}/article#top`);
    expect(page.finalUrl).toBe(`${site.origin}/article`);
    expect(page.title).toBe("계약서 검토 가이드 | 예시 법률사무소");
    expect(page.contentType).toBe("text/html");
    expect(page.markdown).toContain("## 비밀유지 조항");
    expect(page.markdown).toContain("유지 기간은 보통 2년에서 5년 사이입니다.");
    expect(page.markdown).toContain(`[비밀유지계약서 예시](${site.origin}/nda)`);
    expect(page.markdown).not.toContain("사무소 소개");
    expect(page.markdown).not.toContain("바뀐 제목");
    expect(page.markdown).not.toContain("diagram.png");
  });

  it("reads plain text, JSON and an EUC-KR page in their own charset", async () => {
    const fetcher = siteFetcher();
    expect((await fetcher.fetchPage(`${site.origin}/plain`)).markdown).toBe(
      "Opening hours: Monday to Friday, 9:00 to 18:00.",
    );
    const json = await fetcher.fetchPage(`${site.origin}/data.json`);
    expect(json.markdown).toContain('"name": "Basic"');
    expect(json.title).toBe("data.json");
    expect((await fetcher.fetchPage(`${site.origin}/euc-kr`)).markdown).toContain("계약서는 서면으로");
  });

  it("follows redirects on the same site and lists them", async () => {
    const page = await siteFetcher().fetchPage(`${site.origin}/redirect?to=/redirect%3Fto%3D/english`);
    expect(page.finalUrl).toBe(`${site.origin}/english`);
    expect(page.redirects).toEqual([`${site.origin}/redirect?to=/english`, `${site.origin}/english`]);
    expect(page.title).toBe("Octopus facts");
  });

  it.each([
    ["127.0.0.1 on another port", () => `http://127.0.0.1:${internal.port}/secret`, "loopback"],
    ["localhost", () => `http://localhost:${internal.port}/secret`, "loopback"],
    ["[::ffff:127.0.0.1]", () => `http://[::ffff:127.0.0.1]:${internal.port}/secret`, "loopback"],
    ["169.254.169.254", () => "http://169.254.169.254/latest/meta-data/", "cloud metadata"],
    [
      "2852039166 (169.254.169.254 in decimal)",
      () => "http://2852039166/latest/meta-data/",
      "cloud metadata",
    ],
    ["[::ffff:169.254.169.254]", () => "http://[::ffff:169.254.169.254]/latest/meta-data/", "cloud metadata"],
    ["0x7f.1 (127.0.0.1 in hex)", () => `http://0x7f.1:${internal.port}/`, "loopback"],
  ])("refuses a redirect to %s, on that hop", async (_name, target, range) => {
    const url = `${site.origin}/redirect?to=${encodeURIComponent(target())}`;
    const failure = await failureOf(siteFetcher().fetchPage(url));
    expect(failure).toMatchObject({ code: "refused_address", params: { range } });
    expect(failure.url).not.toBe(url);
    expect(site.hits).toContain("/redirect");
    expect(internal.hits).toEqual([]);
  });

  it("stops after the redirect limit", async () => {
    const failure = await failureOf(siteFetcher({ maxRedirects: 3 }).fetchPage(`${site.origin}/loop`));
    expect(failure).toMatchObject({ code: "too_many_redirects", params: { limit: 3 } });
    expect(site.hits.filter((path) => path === "/loop")).toHaveLength(4);
  });

  it("respects robots.txt, on the first request and after a redirect, asking for it once per site", async () => {
    const fetcher = siteFetcher();
    expect(await failureOf(fetcher.fetchPage(`${site.origin}/private/page`))).toMatchObject({
      code: "robots_disallowed",
    });
    expect(await failureOf(fetcher.fetchPage(`${site.origin}/redirect?to=/private/page`))).toMatchObject({
      code: "robots_disallowed",
      url: `${site.origin}/private/page`,
    });
    await fetcher.fetchPage(`${site.origin}/english`);
    expect(site.hits).not.toContain("/private/page");
    expect(site.hits.filter((path) => path === "/robots.txt")).toHaveLength(1);
  });

  it("treats a robots.txt answering 503 as 'not now' and a missing one as no rules", async () => {
    const busy = await startTestSite({ robots: 503 });
    const missing = await startTestSite({ robots: 404 });
    try {
      const onBusy = defaultFetcher({ testOnlyLoopbackPort: busy.port });
      expect(await failureOf(onBusy.fetchPage(`${busy.origin}/english`))).toMatchObject({
        code: "robots_disallowed",
        params: { status: 503 },
      });
      expect(busy.hits).toEqual(["/robots.txt"]);
      const onMissing = defaultFetcher({ testOnlyLoopbackPort: missing.port });
      expect((await onMissing.fetchPage(`${missing.origin}/english`)).title).toBe("Octopus facts");
    } finally {
      await busy.close();
      await missing.close();
    }
  });

  it("abandons a body past the size limit, counted or declared", async () => {
    const fetcher = siteFetcher({ maxBytes: 64 * 1024 });
    expect(await failureOf(fetcher.fetchPage(`${site.origin}/big`))).toMatchObject({
      code: "too_large",
      params: { limit: 64 * 1024 },
    });
    expect(await failureOf(fetcher.fetchPage(`${site.origin}/big-declared`))).toMatchObject({
      code: "too_large",
    });
  });

  it("gives up on a body that never ends within the time limit", async () => {
    const failure = await failureOf(siteFetcher({ timeoutMs: 400 }).fetchPage(`${site.origin}/slow`));
    expect(failure).toMatchObject({ code: "timeout", params: { ms: 400 } });
  });

  it("stops when the step is stopped", async () => {
    const controller = new AbortController();
    const pending = siteFetcher().fetchPage(`${site.origin}/slow`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect(await failureOf(pending)).toMatchObject({ code: "aborted" });
  });

  it("refuses media types that are not text pages, and says which status a server answered", async () => {
    const fetcher = siteFetcher();
    expect(await failureOf(fetcher.fetchPage(`${site.origin}/image.png`))).toMatchObject({
      code: "content_type",
      params: { type: "image/png" },
    });
    expect(await failureOf(fetcher.fetchPage(`${site.origin}/error`))).toMatchObject({
      code: "http_status",
      params: { status: 500 },
    });
  });
});

describe("the default guard", () => {
  it("refuses the test site itself, by address and by name, before any request reaches it", async () => {
    const fetcher = defaultFetcher();
    expect(await failureOf(fetcher.fetchPage(`${site.origin}/english`))).toMatchObject({
      code: "refused_address",
      params: { address: "127.0.0.1", range: "loopback" },
    });
    expect(await failureOf(fetcher.fetchPage(`http://localhost:${site.port}/english`))).toMatchObject({
      code: "refused_address",
      params: { range: "loopback" },
    });
    expect(site.hits).toEqual([]);
  });

  it.each([
    [`http://[::ffff:127.0.0.1]:PORT/`, "127.0.0.1", "loopback"],
    ["http://[::1]:PORT/", "::1", "loopback"],
    ["http://2852039166/", "169.254.169.254", "cloud metadata"],
    ["http://[::ffff:169.254.169.254]/", "169.254.169.254", "cloud metadata"],
    ["http://0177.0.0.1:PORT/", "127.0.0.1", "loopback"],
    ["http://0/", "0.0.0.0", "unspecified"],
    ["http://10.0.0.1/", "10.0.0.1", "private"],
    ["http://192.168.1.1/", "192.168.1.1", "private"],
    ["http://100.64.0.1/", "100.64.0.1", "carrier-grade NAT"],
    ["http://169.254.1.1/", "169.254.1.1", "link-local"],
    ["http://224.0.0.1/", "224.0.0.1", "multicast"],
    ["http://255.255.255.255/", "255.255.255.255", "broadcast"],
    ["http://[fd00:ec2::254]/", "fd00:ec2::254", "cloud metadata"],
    ["http://[fe80::1]/", "fe80::1", "link-local"],
  ])("refuses the literal %s", async (raw, address, range) => {
    const failure = await failureOf(defaultFetcher().fetchPage(raw.replace("PORT", String(site.port))));
    expect(failure).toMatchObject({ code: "refused_address", params: { address, range } });
    expect(site.hits).toEqual([]);
  });

  it("logs each refusal with its reason and the site, never the path or query", async () => {
    const lines: LogLine[] = [];
    const fetcher = defaultFetcher({ logger: capturingLogger(lines) });
    await failureOf(fetcher.fetchPage(`${site.origin}/english?token=s3cret`));
    expect(lines).toMatchObject([
      { msg: "web page not fetched", code: "refused_address", site: site.origin, range: "loopback" },
    ]);
    expect(JSON.stringify(lines)).not.toContain("s3cret");
  });

  it("refuses a name when any address it resolves to is not public", async () => {
    const fetcher = defaultFetcher({ resolve: async () => ["93.184.216.34", "10.1.2.3"] });
    expect(await failureOf(fetcher.fetchPage("http://mixed.example/"))).toMatchObject({
      code: "refused_address",
      params: { address: "10.1.2.3", range: "private" },
    });
  });

  it("refuses what is not an http(s) URL without credentials", async () => {
    const fetcher = defaultFetcher();
    expect((await failureOf(fetcher.fetchPage("ftp://example.org/file"))).code).toBe("unsupported_scheme");
    expect((await failureOf(fetcher.fetchPage("file:///etc/passwd"))).code).toBe("unsupported_scheme");
    expect((await failureOf(fetcher.fetchPage("https://user:pw@example.org/"))).code).toBe(
      "credentials_in_url",
    );
    expect((await failureOf(fetcher.fetchPage("not a url"))).code).toBe("invalid_url");
  });
});
