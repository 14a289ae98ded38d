// The case drawer: a case's details, its timeline (who did what, when), the deadline
// counting down, and — for a role that may act — the next steps of the loop, sent as
// mutations. A refusal comes back as data (RuleBroken, NotFound, VersionConflict,
// NotAllowed, KeyReused) and is shown as such; a version conflict reloads the case.

import { ACTIONS, actionForm, actionRequest, nextActions } from "./actions.js";
import { actionName, channelName, eventName, named, stageName, t } from "./i18n.js";
import { escape, full, short, span, stoppedAt } from "./format.js";

const CASE = `query Case($number: Int!, $asOf: AsOf) {
  case(number: $number, asOf: $asOf) {
    number stage channel category grid community street description reportedAt lastAt
    level urgent department deadline overdue suspended suspendedAt extensionAsked reworkCount closedAt
    satisfaction timeline { position name version at by { id name role } data }
  }
}`;

export class Drawer {
  constructor(element, { api, context, onChanged }) {
    this.element = element;
    this.api = api;
    this.context = context; // () => ({ viewer, catalog, asOf, now })
    this.onChanged = onChanged;
    this.number = null;
    this.case = null;
    this.feedback = null;
    this.pending = null;
    this.timer = setInterval(() => this.tick(), 1000);
    element.addEventListener("click", (e) => this.clicked(e));
    element.addEventListener("submit", (e) => this.submitted(e));
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && this.number != null) this.close();
    });
  }

  async open(number) {
    this.number = number;
    this.feedback = null;
    this.pending = null;
    this.element.classList.add("open");
    this.element.setAttribute("aria-hidden", "false");
    this.element.innerHTML = `<div class="drawer-body"><div class="muted">${t("loading")}</div></div>`;
    await this.load();
  }

  close() {
    this.number = null;
    this.case = null;
    this.element.classList.remove("open");
    this.element.setAttribute("aria-hidden", "true");
    this.element.innerHTML = "";
  }

  async load() {
    const number = this.number;
    const { asOf } = this.context();
    try {
      const data = await this.api.query(CASE, { number, asOf });
      if (number !== this.number) return;
      this.case = data.case;
    } catch (error) {
      if (number !== this.number) return;
      this.case = null;
      this.feedback = { ok: false, kind: "", message: t("error", { m: error.message }) };
    }
    this.render();
  }

  /** A case event at `position` arrived: reload once the views show it, if it is this case's. */
  async changed(number, position) {
    if (number !== this.number || this.pending) return;
    await this.api.caughtUp(position);
    if (number === this.number && !this.pending) this.load();
  }

  render() {
    if (this.number == null) return;
    const c = this.case;
    const { viewer, catalog, asOf } = this.context();
    if (!c) {
      this.element.innerHTML = `<div class="drawer-body"><button class="close" data-action="close" aria-label="${t("close")}">×</button>
        ${this.feedbackHtml()}</div>`;
      return;
    }
    const category = catalog.categories.find((x) => x.code === c.category);
    const department = catalog.departments.find((x) => x.code === c.department);
    const may = new Set(viewer.may);
    const actions = asOf ? [] : nextActions(c).filter((a) => may.has(ACTIONS[a].may));
    this.element.innerHTML = `<div class="drawer-body">
      <button class="close" data-action="close" aria-label="${t("close")}">×</button>
      <h2>${escape(t("caseTitle", { n: c.number }))} <span class="chip ${c.overdue ? "alarm" : c.urgent ? "attention" : "normal"}">${escape(stageName(c.stage))}</span></h2>
      <div class="countdown" data-countdown>${this.countdown()}</div>
      <dl class="facts">
        <dt>${t("category")}</dt><dd>${escape(c.category)} ${escape(category ? named(category.name) : "")}${c.urgent ? ` · <b class="alarm-text">${t("urgent")}</b>` : ""}</dd>
        <dt>${t("channel")}</dt><dd>${escape(channelName(c.channel))}</dd>
        <dt>${t("grid")}</dt><dd>${escape(c.grid)}</dd>
        <dt>${t("department")}</dt><dd>${escape(department ? named(department.name) : c.department ?? "–")}</dd>
        <dt>${t("reportedAt")}</dt><dd>${full(c.reportedAt)}</dd>
        <dt>${t("deadline")}</dt><dd>${c.deadline ? full(c.deadline) : "–"}</dd>
        <dt>${t("description")}</dt><dd>${escape(c.description)}</dd>
      </dl>
      ${this.feedbackHtml()}
      ${asOf ? "" : `<h3>${t("actions")}</h3>${actions.length ? `<div class="actions">${actions.map((a) => `<button type="button" class="action${this.pending === a ? " chosen" : ""}" data-act="${a}">${escape(actionName(a))}</button>`).join("")}</div>` : `<div class="muted">${t("noActions")}</div>`}
      ${this.pending ? actionForm(this.pending, catalog) : ""}`}
      <h3>${t("timeline")}</h3>
      <ol class="timeline">${[...c.timeline].reverse().map((e) => timelineRow(e, catalog)).join("")}</ol>
    </div>`;
  }

  feedbackHtml() {
    const f = this.feedback;
    if (!f) return "";
    return `<div class="feedback ${f.ok ? "ok" : "refused"}" role="status" data-outcome="${escape(f.kind)}">
      ${f.kind && !f.ok ? `<b>${escape(t(f.kind))}</b> (${escape(f.kind)}) ` : ""}${escape(f.message)}</div>`;
  }

  countdown() {
    const c = this.case;
    if (!c) return "";
    const { now } = this.context();
    if (c.closedAt) return `<span class="muted">${escape(stageName(c.stage))} · ${short(c.closedAt)}</span>`;
    if (!c.deadline) return `<span class="muted">${t("noDeadline")}</span>`;
    const left = new Date(c.deadline) - stoppedAt(c, now());
    if (c.suspended) {
      const late = left < 0 ? ` · <span class="alarm-text">${escape(t("overdueBy", { d: span(-left) }))}</span>` : "";
      return `<span class="big attention-text">${t("suspendedClock")}</span>${late}`;
    }
    return left >= 0
      ? `<span class="big">${escape(t("remaining", { d: span(left) }))}</span>`
      : `<span class="big alarm-text">${escape(t("overdueBy", { d: span(-left) }))}</span>`;
  }

  tick() {
    const el = this.element.querySelector("[data-countdown]");
    if (el) el.innerHTML = this.countdown();
  }

  clicked(e) {
    const target = e.target.closest("[data-action], [data-act]");
    if (!target) return;
    if (target.dataset.action === "close") {
      this.close();
      return;
    }
    const action = target.dataset.act;
    if (!action) return;
    if (!ACTIONS[action].fields.length) {
      this.send(action, new FormData());
      return;
    }
    this.pending = this.pending === action ? null : action;
    this.feedback = null;
    this.render();
    this.element.querySelector(".action-form input, .action-form select")?.focus();
  }

  submitted(e) {
    const form = e.target.closest("[data-form]");
    if (!form) return;
    e.preventDefault();
    this.send(form.dataset.form, new FormData(form));
  }

  async send(action, form) {
    const c = this.case;
    const { text, values } = actionRequest(action, c, form);
    try {
      const { outcome } = await this.api.query(text, values);
      if (outcome.__typename === "Recorded") {
        const message = outcome.replayed ? t("replayed") : t("recorded", { p: outcome.positions.join(", ") });
        this.feedback = { ok: true, kind: "Recorded", message: `${actionName(action)}: ${message}` };
        this.pending = null;
        this.onChanged?.(c.number);
        await this.api.caughtUp(Math.max(...outcome.positions, 0));
        await this.load();
        return;
      }
      this.feedback = { ok: false, kind: outcome.__typename, message: outcome.message };
      if (outcome.__typename === "VersionConflict") {
        await this.load();
        return;
      }
    } catch (error) {
      this.feedback = { ok: false, kind: "", message: t("networkError", { m: error.message }) };
    }
    this.render();
  }
}

function timelineRow(e, catalog) {
  const who = e.by ? `${e.by.name} · ${t(e.by.role)}` : "";
  return `<li data-event="${escape(e.name)}"><span class="when">${full(e.at)}</span>
    <span class="what"><b>${escape(eventName(e.name))}</b> ${escape(detail(e, catalog))}</span>
    <span class="who">${escape(who)}</span></li>`;
}

/** The few fields of an event a reader needs beside its name. */
export function detail(e, catalog) {
  const d = e.data || {};
  const parts = [];
  if (d.department) {
    const found = catalog?.departments.find((x) => x.code === d.department);
    parts.push(found ? named(found.name) : d.department);
  }
  if (d.deadline) parts.push(`→ ${short(d.deadline)}`);
  for (const key of ["reason", "note", "comment"]) if (d[key]) parts.push(d[key]);
  if (d.satisfaction) parts.push(`★${d.satisfaction}`);
  if (d.into) parts.push(`→ #${d.into}`);
  if (d.urgent) parts.push(t("urgent"));
  if (e.name === "CaseReported" && d.description) parts.push(d.description);
  return parts.join(" · ");
}
