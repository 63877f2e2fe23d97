// Child process for the crash and concurrency tests: records trades ids [from, from + batches·size) of
// "btcusdt" into the SQLite archive at argv[2] through ArchiveWriter, printing "committed <lastId>" after
// each commit it has seen complete.
import { ArchiveWriter, SqliteArchive } from "../../../src/archive";

const [file, fromText, batchesText, sizeText, pauseText] = process.argv.slice(2);
const from = Number(fromText);
const batches = Number(batchesText);
const size = Number(sizeText);
const pause = Number(pauseText ?? 0);
async function main(): Promise<void> {
  const archive = SqliteArchive.open(file);
  const writer = new ArchiveWriter(archive, { commitMs: 100 });
  let id = from;
  for (let b = 0; b < batches; b++) {
    const ids = Float64Array.from({ length: size }, (_, i) => id + i);
    writer.append({ symbol: "btcusdt", id: ids, time: ids.map((x) => 1.7e12 + x), price: ids.map((x) => 100 + (x % 7)), qty: ids.map(() => 0.5), source: "demo", simulated: true });
    id += size;
    await writer.flush();
    const st = writer.status();
    if (st.state !== "ok") throw st.error;
    process.stdout.write(`committed ${id - 1}\n`);
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));
  }
  await writer.close();
  await archive.close();
  process.stdout.write("done\n");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
