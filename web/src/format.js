// Times shown in the district's zone (Asia/Shanghai) whatever the screen's zone is.

import { language, t } from "./i18n.js";

export const ZONE = "Asia/Shanghai";

const formats = new Map();
function formatter(kind) {
  const key = `${language()}:${kind}`;
  if (!formats.has(key)) {
    const options = {
      time: { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false },
      short: { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false },
      full: {
        year: "numeric", month: "2-digit", day: "2-digit",
        hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false,
      },
    }[kind];
    formats.set(key, new Intl.DateTimeFormat(language() === "zh" ? "zh-CN" : "en-GB", { ...options, timeZone: ZONE }));
  }
  return formats.get(key);
}

export const time = (at) => (at ? formatter("time").format(new Date(at)) : "–");
export const short = (at) => (at ? formatter("short").format(new Date(at)) : "–");
export const full = (at) => (at ? formatter("full").format(new Date(at)) : "–");

/** A span of milliseconds as "2 d 3 h", "3 h 12 min" or "12 min". */
export function span(ms) {
  const minutes = Math.max(0, Math.round(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  const [d, h, m] = [t("daysShort"), t("hoursShort"), t("minutesShort")];
  const sep = language() === "zh" ? "" : " ";
  if (days) return `${days}${sep}${d}${sep}${hours}${sep}${h}`;
  if (hours) return `${hours}${sep}${h}${sep}${rest}${sep}${m}`;
  return `${rest}${sep}${m}`;
}

/** A value for <input type="datetime-local"> showing `at` in the district's zone. */
export function localInput(at) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", hour12: false,
    }).formatToParts(new Date(at)).map((p) => [p.type, p.value]),
  );
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return `${parts.year}-${parts.month}-${parts.day}T${hour}:${parts.minute}`;
}

/** The instant an <input type="datetime-local"> value means in the district's zone (UTC+8). */
export function fromLocalInput(value) {
  return value ? new Date(`${value}:00+08:00`) : null;
}

export function escape(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

/** The instant a case's deadline clock has reached: `now`, or when the case was suspended
 * (its clock stands still; the deadline moves on by the time paused when it resumes). */
export function stoppedAt(c, now) {
  return c.suspendedAt ? new Date(c.suspendedAt) : now;
}
