import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { OctoError } from "../vocabulary/index.js";

/**
 * One process per PGlite data directory: PGlite has no inter-process locking and two writers silently
 * lose rows.
 *
 * The lock is a listening socket, which the kernel frees the moment its process dies, however it dies
 * (kill -9, OOM). A pid file cannot do that: a restarted container runs node as PID 1 under the same
 * hostname, so its previous life's pid file looks like its own, and a pid written on another host
 * cannot be probed at all.
 * - Linux: a socket in the abstract namespace named after the directory's real path. bind() is atomic,
 *   so of processes starting together exactly one wins, and there is no file to go stale. Abstract names
 *   are private to a network namespace, so the socket file below is held as well: it is what a second
 *   container mounting the same volume on the same host runs into.
 * - Windows: a named pipe, which has the same properties as an abstract socket.
 * - Elsewhere: only the socket file.
 * `octo.pid` (pid@host and start time) only names the holder in the error message; it never decides.
 * Nothing here protects a directory shared between machines over a network file system.
 */
export interface DataDirLock {
  release(): Promise<void>;
}

export interface DataDirLockOptions {
  /** Lock with the socket file only, as on platforms without abstract sockets (tests use it on Linux). */
  portable?: boolean;
}

const INFO_FILE = "octo.pid";
const SOCKET_FILE = "octo.sock";
/** sun_path is 108 bytes on Linux and 104 on macOS, NUL included; node silently truncates longer paths. */
const MAX_SOCKET_PATH = 103;

export async function lockDataDir(dir: string, options: DataDirLockOptions = {}): Promise<DataDirLock> {
  await fs.mkdir(dir, { recursive: true });
  const realDir = await fs.realpath(dir);
  const infoPath = path.join(realDir, INFO_FILE);
  const socketPath = path.join(realDir, SOCKET_FILE);
  const locked = async () => lockedError(dir, await readHolder(infoPath));

  const servers: net.Server[] = [];
  const release = async () => {
    await Promise.all(servers.splice(0).map(close));
  };
  try {
    const name = options.portable ? undefined : kernelName(realDir);
    if (name !== undefined) {
      const server = await listen(name);
      if (server === "in_use") throw await locked();
      servers.push(server);
    }
    if (process.platform !== "win32") {
      const fileServer = await holdSocketFile(socketPath, { required: name === undefined });
      if (fileServer === "in_use") throw await locked();
      if (fileServer) servers.push(fileServer);
    }
  } catch (error) {
    await release();
    throw error;
  }

  const me = `${process.pid}@${os.hostname()}, started ${new Date().toISOString()}`;
  await fs.writeFile(infoPath, me);
  return {
    async release() {
      if (servers.length === 0) return;
      const holder = await readHolder(infoPath);
      if (holder === me) await fs.rm(infoPath, { force: true });
      await release();
    },
  };
}

function kernelName(realDir: string): string | undefined {
  const id = createHash("sha256").update(realDir).digest("hex").slice(0, 32);
  if (process.platform === "linux") return `\0octostrator-data-dir-${id}`;
  if (process.platform === "win32") return `\\\\.\\pipe\\octostrator-data-dir-${id}`;
  return undefined;
}

/**
 * bind() on a path fails while any file is there, a dead holder's included, so a file in the way is
 * probed: a live holder accepts the connection, a dead one's socket refuses it and is removed.
 * Residual race: two processes that both find the same dead socket can each remove it and bind, the
 * second removing the first's fresh socket, and both then believe they hold the lock. It needs a holder
 * killed and two starts within the same few milliseconds; on Linux the abstract socket has already let
 * only one of them through unless they run in different network namespaces.
 */
async function holdSocketFile(
  socketPath: string,
  { required }: { required: boolean },
): Promise<net.Server | "in_use" | undefined> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) {
    if (!required) return undefined;
    throw new OctoError(
      "store_unavailable",
      `the data directory path is too long for its lock socket ${socketPath} (at most ${MAX_SOCKET_PATH} bytes); set OCTO_DATA_DIR to a shorter path`,
    );
  }
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let server: net.Server | "in_use";
    try {
      server = await listen(socketPath);
    } catch (error) {
      // A file system without socket files (some network and FUSE mounts): the abstract socket still holds.
      if (!required) return undefined;
      throw error;
    }
    if (server !== "in_use") return server;
    const holder = await probe(socketPath);
    if (holder === "alive") return "in_use";
    if (holder === "dead") await fs.rm(socketPath, { force: true });
  }
  return "in_use";
}

function listen(address: string): Promise<net.Server | "in_use"> {
  return new Promise((resolve, reject) => {
    // A probing process only needs the connection to succeed; nothing is ever said on it.
    const server = net.createServer((socket) => socket.destroy());
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") resolve("in_use");
      else reject(error);
    });
    // exclusive: a cluster worker must bind itself, not share a handle through the cluster primary.
    server.listen({ path: address, exclusive: true }, () => {
      // The lock must never be what keeps the process alive.
      server.unref();
      resolve(server);
    });
  });
}

function probe(socketPath: string): Promise<"alive" | "dead" | "gone"> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    const done = (state: "alive" | "dead" | "gone") => {
      socket.destroy();
      resolve(state);
    };
    // A holder too busy to accept still completes the connection in the kernel; no answer at all is
    // treated as alive, so a lock is never broken on a guess.
    socket.setTimeout(1000, () => done("alive"));
    socket.once("connect", () => done("alive"));
    socket.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") done("gone");
      else if (error.code === "ECONNREFUSED") done("dead");
      else done("alive");
    });
  });
}

function close(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function readHolder(infoPath: string): Promise<string> {
  return (await fs.readFile(infoPath, "utf8").catch(() => "")).trim();
}

function lockedError(dir: string, holder: string): OctoError {
  const who = holder ? `another Octostrator process (${holder})` : "another Octostrator process";
  return new OctoError(
    "store_locked",
    `${who} is using the data directory ${dir}; stop it, or set OCTO_DATA_DIR to another directory, or POSTGRES_URL to share a Postgres server`,
  );
}
