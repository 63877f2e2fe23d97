/**
 * Epoch ms → ISO-8601 UTC string with milliseconds ("2026-11-23T21:00:00.000Z"); NaN → "". O(1).
 * @example isoUtc(0) // "1970-01-01T00:00:00.000Z"
 */
export function isoUtc(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : "";
}
