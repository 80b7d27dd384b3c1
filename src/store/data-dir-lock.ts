import { promises as fs } from "node:fs";
import os from "node:os";
import path from "node:path";
import { OctoError } from "../vocabulary/index.js";

/**
 * One process per PGlite data directory: PGlite has no inter-process locking and two writers silently
 * lose rows. A pid file (not a heartbeat lock such as proper-lockfile) so that a crashed process's lock
 * is reclaimed at once on restart instead of after a staleness timeout.
 */
export interface DataDirLock {
  release(): Promise<void>;
}

export async function lockDataDir(dir: string): Promise<DataDirLock> {
  await fs.mkdir(dir, { recursive: true });
  const lockPath = path.join(dir, "octo.pid");
  const me = `${process.pid}@${os.hostname()}`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await fs.writeFile(lockPath, me, { flag: "wx" });
      return {
        async release() {
          const holder = await fs.readFile(lockPath, "utf8").catch(() => "");
          if (holder === me) await fs.rm(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = (await fs.readFile(lockPath, "utf8").catch(() => "")).trim();
      if (holder && isAlive(holder)) {
        throw new OctoError(
          "store_locked",
          `another Octostrator process (${holder}) is using the data directory ${dir}; stop it, or set OCTO_DATA_DIR to another directory, or POSTGRES_URL to share a Postgres server`,
        );
      }
      // The holder is gone (crash, kill -9): its lock is stale.
      await fs.rm(lockPath, { force: true });
    }
  }
  throw new OctoError("store_locked", `could not take the lock ${lockPath}`);
}

function isAlive(holder: string): boolean {
  const [pidText, host] = holder.split("@");
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // A lock written on another host (shared volume) cannot be probed; treat it as held.
  if (host && host !== os.hostname()) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
