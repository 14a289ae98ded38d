// The next steps of the loop that the case drawer offers: for each, the mutation it
// sends, the few fields it asks for (a small form) and the stages it is offered in; and
// the mutation's text and variables built from a filled-in form.

import { actionName, named, t } from "./i18n.js";
import { escape } from "./format.js";

const OUTCOME = `__typename ... on Recorded { version positions replayed } ... on Refusal { message }`;

/** Each action: the mutation, its fields (asked in a small form), and when it is offered. */
export const ACTIONS = {
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

/** The form an action asks its fields in (none: it is sent at once). */
export function actionForm(action, catalog) {
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

/** The mutation of an action on case `c`, with its variables from the filled-in form:
 * the case's last version expected, and a key of its own so a resend is not recorded twice. */
export function actionRequest(action, c, form) {
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
  return { text, values };
}
