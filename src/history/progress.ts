/** Progress of a paginated download: `done` of `total` units (ms of the range covered), `what` names the step. */
export interface Progress {
  what: string;
  done: number;
  total: number;
}

/** Receives {@link Progress} after each page (a notebook draws a bar, a script logs a line). */
export type ProgressCallback = (progress: Progress) => void;
