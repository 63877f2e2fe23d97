/** Test helpers shared by the in-place scanners' tests (scanBinanceTrade, scanBinanceBookTicker). */

/** The layout-independent part of a generated frame: wrapping and the byte-level mutations. */
export interface FrameShape {
  wrapped: boolean;
  /** The stream name as JSON text (e.g. `"btcusdt@trade"`, or something adversarial). */
  stream: string;
  /** "space", "trail", "cut" and "byte" are applied here; field-level mutations are the caller's. */
  mutation: string;
  where: number;
  byte: number;
}

/**
 * The frame of `fields` (`[key, JSON value text]`, in order), wrapped as `{"stream":…,"data":…}` when `r.wrapped`,
 * then mutated per `r.mutation`: a space inserted, a trailing byte, a cut, or one byte replaced.
 */
export function frameOf(fields: string[][], r: FrameShape): Buffer {
  const body = `{${fields.map(([k, v]) => `"${k}":${v}`).join(",")}}`;
  let text = r.wrapped ? `{"stream":${r.stream},"data":${body}}` : body;
  if (r.mutation === "space") {
    const at = r.where % (text.length + 1);
    text = text.slice(0, at) + " " + text.slice(at);
  }
  if (r.mutation === "trail") text += r.where % 2 === 0 ? " " : "}";
  if (r.mutation === "cut") text = text.slice(0, r.where % (text.length + 1));
  const buf = Buffer.from(text, "utf8");
  if (r.mutation === "byte" && buf.length > 0) buf[r.where % buf.length] = r.byte;
  return buf;
}

/** Copies `frame` into the middle of a larger buffer, as the transport hands out frames inside a socket chunk. */
export function sliceOf(frame: Buffer, pad: number): Buffer {
  const big = Buffer.alloc(frame.length + 2 * pad, 0x22);
  frame.copy(big, pad);
  return big.subarray(pad, pad + frame.length);
}

/**
 * A random exponent-free decimal text of `total` digits with a fraction of 0..total−1 digits; Binance-like leading
 * digits most of the time (no leading zero in the integer part unless it is "0").
 */
export function randomDecimal(rand: () => number, total: number): string {
  const fraction = rand() < 0.2 ? 0 : Math.floor(rand() * total);
  let digits = "";
  for (let k = 0; k < total; k++) digits += String(Math.floor(rand() * 10));
  if (rand() < 0.8 && total - fraction > 1 && digits[0] === "0") digits = String(1 + Math.floor(rand() * 9)) + digits.slice(1);
  return fraction === 0 ? digits : `${digits.slice(0, total - fraction)}.${digits.slice(total - fraction)}`;
}
