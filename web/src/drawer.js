// The case drawer: a case's details, its timeline (who did what, when), the deadline
// counting down, and — for a role that may act — the next steps of the loop, sent as
// mutations. A refusal comes back as data (RuleBroken, NotFound, VersionConflict,
// NotAllowed, KeyReused) and is shown as such; a version conflict reloads the case.

import { actionName, channelName, eventName, named, stageName, t } from "./i18n.js";
import { escape, full, short, span } from "./format.js";

const CASE = `query Case($number: Int!, $asOf: AsOf) {
  case(number: $number, asOf: $asOf) {
    number stage channel category grid community street description reportedAt lastAt
    level urgent department deadline overdue suspended extensionAsked reworkCount closedAt
    satisfaction timeline { position name version at by { id name role } data }
  }
}`;

const OUTCOME = `__typename ... on Recorded { version positions replayed } ... on Refusal { message }`;

/** Each action: the mutation, its fields (asked in a small form), and when it is offered. */
const ACTIONS = {
  confirm_report: { may: "confirm_report", mutation: "confirmReport", fixed: { found: true }, fields: ["note"] },
  reject_not_found: { may: "confirm_report", mutation: "confirmReport", fixed: { found: false }, fields: ["note"] },
  file_case: { may: "file_case", mutation: "fileCase", fields: ["urgent", "note"] },
  reject_case: { may: "reject_case", mutation: "rejectCase", fields: ["reason"] },
  merge_case: { may: "merge_case", mutation: "mergeCase", fields: ["into"] },
  dispatch_case: { may: "dispatch_case", mutation: "dispatchCase", fields: ["department", "overrideReason"] },
  accept_case: { may: "accept_case", mutation: "acceptCase", fields: [] },
  return_case: { may: "return_case", mutation: "returnCase", fields: ["reason"] },
  handle_case: { may: "handle_case", mutation: "handleCase", fields: ["noteRequired"] },
  request_extension: { may: "request_extension", mutation: "requestExtension", fields: ["extension", "reason"] },
  grant_extension: { may: "grant_extension", mutation: "grantExtension", fields: [] },
  refuse_extension: { may: "refuse_extension", mutation: "refuseExtension", fields: ["reason"] },
  suspend_case: { may: "suspend_case", mutation: "suspendCase", fields: ["reason"] },
  resume_case: { may: "resume_case", mutation: "resumeCase", fields: [] },
  verify_pass: { may: "verify_case", mutation: "verifyCase", fixed: { passed: true }, fields: ["note"] },
  verify_fail: { may: "verify_case", mutation: "verifyCase", fixed: { passed: false }, fields: ["note"] },
  close_case: { may: "close_case", mutation: "closeCase", fields: ["note"] },
  resolve_on_spot: { may: "resolve_on_spot", mutation: "resolveOnSpot", fields: ["noteRequired"] },
  escalate_case: { may: "escalate_case", mutation: "escalateCase", fields: ["reason"] },
  evaluate_case: { may: "evaluate_case", mutation: "evaluateCase", fields: ["satisfaction", "comment"] },
};

const ARGUMENTS = {
  note: ["note", "String!"],
  noteRequired: ["note", "String!"],
  reason: ["reason", "String!"],
  overrideReason: ["reason", "String!"],
  into: ["into", "Int!"],
  urgent: ["urgent", "Boolean!"],
  department: ["department", "String"],
  satisfaction: ["satisfaction", "Int!"],
  comment: ["comment", "String!"],
  extension: ["extension", "Extension!"],
  found: ["found", "Boolean!"],
  passed: ["passed", "Boolean!"],
};

const PUBLIC_CHANNELS = new Set(["hotline", "app", "open311", "video"]);

/** The next steps of the loop from where the case stands. */
export function nextActions(c) {
  const confirmed = c.timeline.some((e) => e.name === "CaseConfirmed");
  switch (c.stage) {
    case "reported":
    case "confirmed": {
      const check = c.stage === "reported" && PUBLIC_CHANNELS.has(c.channel) && !confirmed;
      return [...(check ? ["confirm_report", "reject_not_found"] : []), "file_case", "reject_case", "merge_case", "resolve_on_spot", "escalate_case"];
    }
    case "filed":
    case "returned":
      return ["dispatch_case", "escalate_case"];
    case "dispatched":
      return ["accept_case", "return_case", c.suspended ? "resume_case" : "suspend_case", "escalate_case"];
    case "accepted":
    case "rework":
      return [
        "handle_case",
        ...(c.extensionAsked ? ["grant_extension", "refuse_extension"] : ["request_extension"]),
        c.suspended ? "resume_case" : "suspend_case",
        "escalate_case",
      ];
    case "handled":
      return ["verify_pass", "verify_fail"];
    case "verified":
    case "resolved_on_spot":
      return ["close_case"];
    case "closed":
      return c.satisfaction == null ? ["evaluate_case"] : [];
    default:
      return [];
  }
}

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
      ${this.pending ? this.form(this.pending, c) : ""}`}
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
    const left = new Date(c.deadline) - now();
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

  form(action, c) {
    const { catalog } = this.context();
    const fields = ACTIONS[action].fields;
    const input = (name) => {
      switch (name) {
        case "note":
          return `<label>${t("note")}<input name="note" autocomplete="off"></label>`;
        case "noteRequired":
          return `<label>${t("note")}<input name="note" required autocomplete="off"></label>`;
        case "reason":
          return `<label>${t("reason")}<input name="reason" required autocomplete="off"></label>`;
        case "overrideReason":
          return `<label>${t("reason")}<input name="reason" autocomplete="off" placeholder="${t("overrideHint")}"></label>`;
        case "comment":
          return `<label>${t("note")}<input name="comment" autocomplete="off"></label>`;
        case "into":
          return `<label>${t("into")}<input name="into" type="number" min="1" required></label>`;
        case "urgent":
          return `<label class="check"><input name="urgent" type="checkbox"> ${t("urgentFlag")}</label>`;
        case "satisfaction":
          return `<label>${t("satisfaction")}<input name="satisfaction" type="number" min="1" max="5" value="5" required></label>`;
        case "extension":
          return `<label>+<input name="amount" type="number" min="1" value="1" required>
            <select name="unit"><option value="WORK_DAYS">work days / 工作日</option><option value="WORK_HOURS">work hours / 工作时</option></select></label>`;
        case "department":
          return `<label>${t("departmentOverride")}<select name="department"><option value="">${t("defaultDepartment")}</option>
            ${catalog.departments.map((d) => `<option value="${escape(d.code)}">${escape(named(d.name))}</option>`).join("")}</select></label>`;
        default:
          return "";
      }
    };
    return `<form class="action-form" data-form="${action}">${fields.map(input).join("")}
      <button type="submit" class="primary">${t("send")}: ${escape(actionName(action))}</button></form>`;
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
    const spec = ACTIONS[action];
    const values = { number: c.number, expectedVersion: c.timeline.at(-1)?.version ?? null, key: crypto.randomUUID(), ...spec.fixed };
    for (const name of spec.fields) {
      if (name === "urgent") values.urgent = form.get("urgent") === "on";
      else if (name === "into" || name === "satisfaction") values[name] = Number(form.get(name));
      else if (name === "extension") values.extension = { amount: Number(form.get("amount")), unit: form.get("unit") };
      else if (name === "department") values.department = form.get("department") || null;
      else if (name === "noteRequired") values.note = String(form.get("note") ?? "");
      else if (name === "overrideReason") values.reason = String(form.get("reason") ?? "");
      else values[ARGUMENTS[name][0]] = String(form.get(ARGUMENTS[name][0]) ?? "");
    }
    const names = Object.keys(values).filter((k) => k !== "number" && k !== "expectedVersion" && k !== "key");
    const declared = names.map((k) => `$${k}: ${ARGUMENTS[k][1]}`);
    const text = `mutation Act($number: Int!, $expectedVersion: Int, $key: String${declared.length ? ", " + declared.join(", ") : ""}) {
      outcome: ${spec.mutation}(number: $number, expectedVersion: $expectedVersion, key: $key${names.map((k) => `, ${k}: $${k}`).join("")}) { ${OUTCOME} } }`;
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
