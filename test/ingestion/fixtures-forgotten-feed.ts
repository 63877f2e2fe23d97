// Child process of demo-exchange.test.ts: starts a demo feed with a connected client-less history and
// never closes it. The process must exit on its own (everything the feed holds is unref'd).
import { startDemoFeed } from "../../src/ingestion/demo-exchange";

void startDemoFeed({ rate: 50, historyMs: 1000 }).then((feed) => console.log(`${feed.url} ${feed.symbols().length}`));
