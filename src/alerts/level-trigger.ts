import type { JsonValue } from "./alert-types";

/**
 * Edge trigger with hysteresis for level rules: fires when the condition becomes true while armed, then
 * stays disarmed until the value is back on the safe side of the level by the hysteresis margin. So a
 * value hovering around the level fires once, not on every wiggle. State: one boolean (persisted).
 * O(1) per update.
 * @example
 * const t = new LevelTrigger();
 * t.update(true, false)  // true  (fires, disarms)
 * t.update(true, false)  // false (still disarmed)
 * t.update(false, true)  // false (re-armed)
 */
export class LevelTrigger {
  armed = true;
  /**
   * @param met - the alert condition holds now (e.g. correlation < level).
   * @param rearm - the value is past level ± hysteresis on the safe side.
   * @returns true when the alert fires.
   */
  update(met: boolean, rearm: boolean): boolean {
    if (this.armed && met) {
      this.armed = false;
      return true;
    }
    if (!this.armed && rearm) this.armed = true;
    return false;
  }
  state(): JsonValue {
    return { armed: this.armed };
  }
  restore(s: JsonValue): void {
    if (s !== null && typeof s === "object" && !Array.isArray(s) && typeof s.armed === "boolean") this.armed = s.armed;
  }
}
