import http from "node:http";
import type { AddressInfo } from "node:net";

/** A Korean article as a real site would serve it: navigation, the article, a footer and a script. */
export const KOREAN_ARTICLE = `<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>계약서 검토 가이드 | 예시 법률사무소</title></head>
<body>
<nav><a href="/">홈</a> · <a href="/about">사무소 소개</a> · <a href="/contact">연락처</a></nav>
<article>
<h1>계약서 검토 가이드</h1>
<p>계약서를 검토할 때에는 당사자, 계약 기간, 해지 조건을 가장 먼저 확인해야 합니다. 이 가이드는 중소기업이 자주 놓치는 조항을 정리합니다.</p>
<h2>비밀유지 조항</h2>
<p>비밀정보의 정의와 예외, 유지 기간을 명확히 적으세요. 유지 기간은 보통 2년에서 5년 사이입니다. <a href="/nda">비밀유지계약서 예시</a>를 참고하세요.</p>
<h2>대금 지급</h2>
<p>용역 대금은 검수 완료 후 30일 이내에 지급하는 것이 일반적입니다. 지연 이자율도 함께 정하세요.</p>
<ul><li>당사자 확인</li><li>계약 기간</li><li>해지 조건</li></ul>
<img src="diagram.png" alt="검토 순서 도표">
</article>
<footer>© 2026 예시 법률사무소 · 서울특별시</footer>
<script>document.title = "바뀐 제목";</script>
</body></html>`;

export const ENGLISH_PAGE = `<!doctype html><html><head><title>Octopus facts</title></head><body>
<header><a href="/">Home</a></header>
<main><h1>Octopus facts</h1>
<p>An octopus has three hearts and blue blood. Two hearts pump blood through the gills, and the third pumps it through the rest of the body.</p>
<p>Most octopuses live for one to two years. The giant Pacific octopus can weigh more than 50 kilograms.</p>
</main></body></html>`;

/** A long Korean article (about 200 KB): 150 sections of the article's paragraphs. */
export const LONG_ARTICLE = KOREAN_ARTICLE.replace(
  /<article>([\s\S]*)<\/article>/,
  (_, body: string) =>
    `<article>${Array.from({ length: 150 }, (_, i) => body.replace("<h1>", `<h1 id="s${i}">`)).join("\n")}</article>`,
);

export interface TestSite {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  port: number;
  /** Paths requested, in order (robots.txt included). */
  hits: string[];
  close(): Promise<void>;
}

export interface TestSiteOptions {
  /** What /robots.txt answers: rules (200), or a status with no body. */
  robots?: string | number;
}

/**
 * A small site on 127.0.0.1 for the fetcher's tests: pages of each kind, redirects to wherever the
 * query says, bodies too large or too slow, the wrong media type. Every response ends or is cut when
 * the client goes away; `close` ends what is left.
 */
export async function startTestSite(options: TestSiteOptions = {}): Promise<TestSite> {
  const hits: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    hits.push(url.pathname);
    const send = (status: number, type: string, body: string | Buffer) => {
      res.writeHead(status, { "content-type": type });
      res.end(body);
    };
    switch (url.pathname) {
      case "/robots.txt": {
        const robots = options.robots ?? "User-agent: *\nDisallow: /private\n";
        if (typeof robots === "number") return send(robots, "text/plain", "");
        return send(200, "text/plain", robots);
      }
      case "/article":
        return send(200, "text/html; charset=utf-8", KOREAN_ARTICLE);
      case "/long":
        return send(200, "text/html; charset=utf-8", LONG_ARTICLE);
      case "/english":
      case "/private/page":
        return send(200, "text/html", ENGLISH_PAGE);
      case "/euc-kr":
        return send(
          200,
          "text/html; charset=euc-kr",
          // "계약서는 서면으로" in EUC-KR: the page says so only in its Content-Type header.
          Buffer.concat([
            Buffer.from("<html><head><title>EUC-KR</title></head><body><p>"),
            Buffer.from("b0e8bee0bcadb4c220bcadb8e9c0b8b7ce", "hex"),
            Buffer.from("</p></body></html>"),
          ]),
        );
      case "/plain":
        return send(200, "text/plain; charset=utf-8", "Opening hours: Monday to Friday, 9:00 to 18:00.");
      case "/data.json":
        return send(200, "application/json", '{"plans":[{"name":"Basic","price":10}]}');
      case "/image.png":
        return send(200, "image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47]));
      case "/error":
        return send(500, "text/html", "<p>internal error</p>");
      case "/redirect":
        res.writeHead(302, { location: url.searchParams.get("to") ?? "/" });
        return res.end();
      case "/loop":
        res.writeHead(302, { location: `/loop?n=${Number(url.searchParams.get("n") ?? 0) + 1}` });
        return res.end();
      case "/big": {
        // No Content-Length: the fetcher has to count.
        res.writeHead(200, { "content-type": "text/html" });
        const chunk = `<p>${"x".repeat(16 * 1024)}</p>`;
        let sent = 0;
        const write = () => {
          while (sent < 64 && !res.destroyed) {
            sent += 1;
            if (!res.write(chunk)) return void res.once("drain", write);
          }
          res.end();
        };
        return write();
      }
      case "/big-declared":
        res.writeHead(200, { "content-type": "text/html", "content-length": String(50 * 1024 * 1024) });
        return res.write("<p>the rest never comes</p>");
      case "/slow": {
        res.writeHead(200, { "content-type": "text/html" });
        res.write("<p>");
        const timer = setInterval(() => {
          if (res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
          } else res.write("a");
        }, 50);
        timers.add(timer);
        return;
      }
      default:
        return send(404, "text/html", "<p>not found</p>");
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    hits,
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
