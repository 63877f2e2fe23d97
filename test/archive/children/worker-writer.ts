// Worker thread for the ArchiveWriter test: opens the archive at workerData.file, appends every batch the
// parent posts (columnar typed arrays, transferred), and on "close" commits and posts back the status.
import { parentPort, workerData } from "node:worker_threads";
import { ArchiveWriter, SqliteArchive, type TradeBatch } from "../../../src/archive";

const archive = SqliteArchive.open((workerData as { file: string }).file);
const writer = new ArchiveWriter(archive, { commitMs: 50 });
parentPort!.on("message", (msg: { type: "batch"; batch: TradeBatch } | { type: "close" }) => {
  if (msg.type === "batch") writer.append(msg.batch);
  else
    void writer.close().then(() => {
      const status = writer.status();
      archive.closeSync();
      parentPort!.postMessage({ written: status.written, commits: status.commits, state: status.state });
    });
});
