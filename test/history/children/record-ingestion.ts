// Child process of the recording tests: a "recording kernel". Starts startIngestion through the pairlab entry
// (so the history extension records into the archive) on source argv[2], recording into argv[3] (file:…),
// and prints every 100 ms one line: "<epoch ms> <btcusdt trades stored> <ethusdt trades stored> <recording written>".
import { startIngestion } from "../../../src/index";

const [source, archive] = process.argv.slice(2);
const ing = startIngestion({ symbols: ["btcusdt", "ethusdt"], source, archive, quiet: true });
setInterval(() => {
  const s = ing.stats();
  process.stdout.write(`${Date.now()} ${s.symbols.btcusdt.trades} ${s.symbols.ethusdt.trades} ${s.recording?.written ?? -1} ${s.recording?.state ?? "none"}\n`);
}, 100);
