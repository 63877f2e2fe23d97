// Child process for the concurrency test: reads "btcusdt" from the SQLite archive at argv[2] `rounds`
// times, printing "read <count> <ok>" where ok = ids strictly increasing and contiguous from 1.
import { SqliteArchive } from "../../../src/archive";

const [file, roundsText, pauseText] = process.argv.slice(2);
async function main(): Promise<void> {
  const archive = SqliteArchive.open(file);
  for (let r = 0; r < Number(roundsText); r++) {
    const t = archive.readTradesSync("btcusdt");
    let ok = true;
    for (let i = 0; i < t.id.length; i++) if (t.id[i] !== i + 1) ok = false;
    process.stdout.write(`read ${t.id.length} ${ok}\n`);
    await new Promise((res) => setTimeout(res, Number(pauseText)));
  }
  archive.closeSync();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
