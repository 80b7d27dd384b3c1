import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConsoleOutput } from "../../../src/adapters/console/console-output.js";
import type { LineSource } from "../../../src/adapters/console/line-reader.js";
import { resolvePath } from "../../../src/adapters/console/local-files.js";
import { ConsoleSession } from "../../../src/adapters/console/session.js";
import { styleFor } from "../../../src/adapters/console/style.js";
import type { ConversationApi, SendInput } from "../../../src/conversations/index.js";
import { silentLogger } from "../../../src/log.js";
import { console as render } from "../../../src/renderers/index.js";

const noInput: LineSource = { next: async () => undefined, close() {} };

describe("console attachments (/attach, /detach)", () => {
  let dir: string;
  let sent: SendInput[];
  let text: string;
  let session: ConsoleSession;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "octo-attach-"));
    sent = [];
    text = "";
    const stream = new PassThrough();
    stream.setEncoding("utf8").on("data", (chunk: string) => {
      text += chunk;
    });
    const conversations = {
      send: (input: SendInput) => {
        sent.push(input);
        return (async function* () {})();
      },
      pendingApprovals: async () => [],
    } as unknown as ConversationApi;
    const plain = { stream, style: styleFor(false) };
    session = new ConsoleSession({
      conversations,
      logger: silentLogger(),
      user: "alice",
      threadKey: "console:t",
      format: "chat",
      dataDir: path.join(dir, "out"),
      reader: noInput,
      out: new ConsoleOutput({ answer: plain, info: plain }),
      decisions: "ask",
      cwd: dir,
    });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("sends the attached files' text with the next request only, then none", async () => {
    await writeFile(path.join(dir, "sales.csv"), "region,amount\nnorth,10\nsouth,20\n");
    await mkdir(path.join(dir, "notes"));
    await writeFile(path.join(dir, "notes", "plan.md"), "# Plan\nship it");
    await session.command("attach", "sales.csv");
    await session.command("attach", '"notes/plan.md"');
    expect(text).toContain("📎 sales.csv (");
    expect(text).toContain("(2 of 5)");
    await session.command("attach", "");
    expect(text).toContain("Files for your next request: sales.csv, plan.md");

    await session.request("analyse the sales");
    expect(sent[0]?.attachments).toEqual([
      expect.objectContaining({ name: "sales.csv", text: "region,amount\nnorth,10\nsouth,20\n", size: 32 }),
      expect.objectContaining({ name: "plan.md", text: "# Plan\nship it" }),
    ]);
    await session.request("and again");
    expect(sent[1]?.attachments).toBeUndefined();
  });

  it("reads the file when the request is sent, so an edit after /attach is what the agents see", async () => {
    const file = path.join(dir, "data.json");
    await writeFile(file, '{"v":1}');
    await session.command("attach", file);
    await writeFile(file, '{"v":2}');
    await session.request("look at it");
    expect(sent[0]?.attachments?.[0]?.text).toBe('{"v":2}');
  });

  it("says why a file cannot be attached, in the person's language, and attaches nothing", async () => {
    await mkdir(path.join(dir, "folder"));
    await writeFile(path.join(dir, "photo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    await writeFile(path.join(dir, "huge.csv"), Buffer.alloc(1024 * 1024 + 1, 0x61));
    await session.command("attach", "nope.csv");
    await session.command("attach", "folder");
    await session.command("attach", "photo.png");
    await session.command("attach", "huge.csv");
    expect(text).toContain('I can\'t find "nope.csv"');
    expect(text).toContain('"folder" is a folder, not a file');
    expect(text).toContain('"photo.png" is not a file I can read here');
    expect(text).toMatch(/"huge\.csv" is larger than 1 MiB/);
    session.locale = "ko";
    await session.command("attach", "nope.csv");
    expect(text).toContain('"nope.csv" 파일을 찾을 수 없습니다');
    await session.request("anything");
    expect(sent[0]?.attachments).toBeUndefined();
  });

  it("keeps Slack's limit of five files, refuses the same file twice, and /detach drops them", async () => {
    for (let index = 0; index < 6; index += 1)
      await writeFile(path.join(dir, `f${index}.txt`), `file ${index}`);
    for (let index = 0; index < 6; index += 1) await session.command("attach", `f${index}.txt`);
    expect(text).toContain("5 files are already waiting for your next request");
    await session.command("detach", "");
    expect(text).toContain("Dropped 5 file(s)");
    await session.command("attach", "f0.txt");
    await session.command("attach", "./f0.txt");
    expect(text).toContain('"f0.txt" is already attached');
    await session.request("count them");
    expect(sent[0]?.attachments?.map((file) => file.name)).toEqual(["f0.txt"]);
  });

  it("warns when a file vanished between /attach and the request, and still sends the request", async () => {
    const file = path.join(dir, "gone.txt");
    await writeFile(file, "soon gone");
    await session.command("attach", "gone.txt");
    await rm(file);
    await session.request("read it");
    expect(text).toContain("I could not read gone.txt");
    expect(sent[0]?.attachments).toEqual([expect.objectContaining({ name: "gone.txt" })]);
    expect(sent[0]?.attachments?.[0]?.text).toBeUndefined();
  });

  it("lists /attach and /detach in the help, and resolves ~ like a shell", () => {
    const help = render.renderHelp("en").text;
    expect(help).toContain("/attach [path]");
    expect(help).toContain("/detach");
    expect(resolvePath("~/x.csv", "/work")).toBe(path.join(os.homedir(), "x.csv"));
    expect(resolvePath("x.csv", "/work")).toBe("/work/x.csv");
  });
});
