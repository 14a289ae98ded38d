// Chinese and English labels, switchable at any time: static text carries data-i18n
// attributes, dynamic text asks t(); listeners re-render what they drew. The page's own
// words are in i18n/strings.js; the practice's names (events, stages, channels, actions)
// are the pairs here.

import { STRINGS } from "./i18n/strings.js";

const EVENTS = {
  CaseReported: ["上报", "Reported"],
  CaseConfirmed: ["核实", "Confirmed on site"],
  CaseFiled: ["立案", "Filed"],
  CaseRejected: ["不予立案", "Rejected"],
  CaseMerged: ["合并", "Merged"],
  DuplicateMerged: ["并入重复件", "Duplicate merged in"],
  CaseDispatched: ["派遣", "Dispatched"],
  CaseAccepted: ["签收", "Accepted"],
  CaseReturned: ["退回", "Returned"],
  CaseHandled: ["处置", "Handled"],
  ExtensionRequested: ["申请延期", "Extension asked"],
  ExtensionGranted: ["同意延期", "Extension granted"],
  ExtensionRefused: ["拒绝延期", "Extension refused"],
  CaseSuspended: ["挂账", "Suspended"],
  CaseResumed: ["恢复", "Resumed"],
  CaseVerified: ["核查通过", "Verified"],
  ReworkOrdered: ["返工", "Rework ordered"],
  CaseClosed: ["结案", "Closed"],
  CaseResolvedOnSpot: ["自行处置", "Resolved on the spot"],
  CaseEscalated: ["上报上级", "Escalated"],
  DeadlineWarned: ["预警", "Deadline warning"],
  CaseOverdue: ["超期", "Overdue"],
  CaseEvaluated: ["评价", "Evaluated"],
  VisitRecorded: ["走访", "Visit"],
  ReceiptIssued: ["回执", "Receipt"],
};

const STAGES = {
  reported: ["已上报", "reported"],
  confirmed: ["已核实", "confirmed"],
  filed: ["已立案", "filed"],
  dispatched: ["已派遣", "dispatched"],
  accepted: ["已签收", "accepted"],
  returned: ["已退回", "returned"],
  handled: ["已处置", "handled"],
  verified: ["核查通过", "verified"],
  rework: ["返工中", "rework"],
  closed: ["已结案", "closed"],
  rejected: ["不予立案", "rejected"],
  merged: ["已合并", "merged"],
  resolved_on_spot: ["已自行处置", "resolved on the spot"],
};

const CHANNELS = {
  patrol: ["网格员巡查", "patrol"],
  supervisor: ["监督员巡查", "supervisor"],
  visit: ["走访发现", "visit"],
  hotline: ["12345 热线", "12345 hotline"],
  app: ["市民 App", "app"],
  open311: ["Open311", "Open311"],
  video: ["视频监控", "video"],
  higher_office: ["上级交办", "higher office"],
};

const ACTIONS = {
  confirm_report: ["核实属实", "Confirm on site"],
  reject_not_found: ["核实不属实", "Not found on site"],
  file_case: ["立案", "File"],
  reject_case: ["不予立案", "Reject"],
  merge_case: ["合并为重复件", "Merge as duplicate"],
  dispatch_case: ["派遣", "Dispatch"],
  accept_case: ["签收", "Accept"],
  return_case: ["退回", "Return"],
  handle_case: ["处置完毕", "Report handled"],
  request_extension: ["申请延期", "Ask for more time"],
  grant_extension: ["同意延期", "Grant extension"],
  refuse_extension: ["拒绝延期", "Refuse extension"],
  suspend_case: ["挂账", "Suspend"],
  resume_case: ["恢复计时", "Resume"],
  verify_pass: ["核查通过", "Verify: passed"],
  verify_fail: ["核查不通过（返工）", "Verify: rework"],
  close_case: ["结案", "Close"],
  resolve_on_spot: ["自行处置", "Resolve on the spot"],
  escalate_case: ["上报上级", "Escalate"],
  evaluate_case: ["回访评价", "Evaluate"],
};

const listeners = new Set();
let lang = localStorage.getItem("gridcenter.lang") === "en" ? "en" : "zh";

export function language() {
  return lang;
}

export function t(key, params = {}) {
  const text = STRINGS[lang][key] ?? STRINGS.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(params[name] ?? ""));
}

function pair(table, key) {
  const found = table[key];
  return found ? found[lang === "zh" ? 0 : 1] : key;
}

export const eventName = (name) => pair(EVENTS, name);
export const stageName = (stage) => pair(STAGES, stage);
export const channelName = (channel) => pair(CHANNELS, channel);
export const actionName = (action) => pair(ACTIONS, action);
export const caseEvents = Object.keys(EVENTS).filter((n) => n.startsWith("Case") || n.includes("Extension") || n === "ReworkOrdered" || n === "DeadlineWarned");

/** A bilingual {zh, en} or {nameZh, nameEn} value in the current language. */
export function named(value) {
  if (!value) return "";
  if ("zh" in value) return lang === "zh" ? value.zh : value.en;
  return lang === "zh" ? value.nameZh : value.nameEn;
}

export function setLanguage(next) {
  lang = next === "en" ? "en" : "zh";
  localStorage.setItem("gridcenter.lang", lang);
  apply(document);
  for (const listener of listeners) listener(lang);
}

export function onLanguage(listener) {
  listeners.add(listener);
}

/** Fill in every element with data-i18n (text), data-i18n-title, data-i18n-placeholder. */
export function apply(root) {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-placeholder]")) {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  }
}
