// Preloaded into a bot (NODE_OPTIONS="--import .../cpu-profiler.mjs"; Node 20 refuses --cpu-prof there):
// samples the whole process and writes OCTO_CPU_PROFILE_DIR/<pid>.cpuprofile when it exits.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";

const dir = process.env.OCTO_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 1000 });
  session.post("Profiler.start");
  process.on("exit", () => {
    // An in-thread session answers synchronously, so this completes inside the exit handler.
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(path.join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
