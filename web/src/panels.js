// The panels around the map: headline figures, department and grid-worker workload,
// the live event feed, the overdue cases, and the filters.

import { eventName, named, stageName, t } from "./i18n.js";
import { escape, span, stoppedAt, time } from "./format.js";

export function renderHeadline(element, figures) {
  if (!figures) {
    element.innerHTML = `<div class="muted">${t("loading")}</div>`;
    return;
  }
  const rate = figures.onTimeClosingRate;
  const tiles = [
    ["reported", figures.reported, ""],
    ["filed", figures.filed, ""],
    ["dispatched", figures.dispatched, ""],
    ["closed", figures.closed, ""],
    ["overdueNow", figures.overdueNow, figures.overdueNow > 0 ? "alarm" : ""],
    ["onTimeRate", rate == null ? t("noData") : `${rate.toFixed(1)}%`, rate == null ? "muted" : rate < 80 ? "attention" : ""],
  ];
  element.innerHTML = tiles
    .map(
      ([key, value, tone]) => `<div class="tile ${tone}" data-figure="${key}"
        ${key === "onTimeRate" ? `title="${escape(figures.rateFormula)} (v${figures.rateVersion})"` : ""}>
        <div class="tile-value">${escape(value)}</div><div class="tile-label">${t(key)}</div></div>`,
    )
    .join("");
}

export function renderDepartments(element, loads, departments, filter) {
  const names = new Map(departments.map((d) => [d.code, d]));
  const rows = [...loads]
    .sort((a, b) => b.overdue - a.overdue || b.queue - a.queue || a.code.localeCompare(b.code))
    .map((d) => {
      const rate = d.onTimeRate == null ? "–" : `${Math.round(d.onTimeRate * 100)}%`;
      const chosen = filter.department === d.code ? " chosen" : "";
      const name = names.has(d.code) ? named(names.get(d.code).name) : d.code;
      return `<tr class="${d.overdue ? "hot" : ""}${chosen}" data-department="${escape(d.code)}">
        <td class="name" title="${escape(name)}">${escape(name)}</td>
        <td class="num">${d.queue}</td><td class="num ${d.overdue ? "alarm-text" : ""}">${d.overdue}</td>
        <td class="num">${rate}</td></tr>`;
    })
    .join("");
  element.innerHTML = `<table class="grid-table"><thead><tr><th>${t("department")}</th><th class="num">${t("queue")}</th>
    <th class="num">${t("overdue")}</th><th class="num">${t("onTime")}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function renderWorkers(element, loads, filter, limit = 12) {
  const inArea = (w) => !filter.area || w.grids.some((g) => g.startsWith(filter.area));
  const late = (w) => [...w.checks, ...w.verifications].filter((c) => c.late).length;
  const waiting = (w) => w.checks.length + w.verifications.length;
  const rows = loads
    .filter((w) => w.active && inArea(w))
    .sort((a, b) => late(b) - late(a) || waiting(b) - waiting(a) || b.reports - a.reports)
    .slice(0, limit)
    .map(
      (w) => `<tr class="${late(w) ? "hot" : ""}"><td class="name" title="${escape(w.grids.join(", "))}">${escape(w.name ?? w.id)}</td>
        <td class="num">${w.checks.length}</td><td class="num">${w.verifications.length}</td>
        <td class="num ${late(w) ? "alarm-text" : ""}">${late(w)}</td><td class="num">${w.reports}</td></tr>`,
    )
    .join("");
  element.innerHTML = `<table class="grid-table"><thead><tr><th>${t("worker")}</th><th class="num">${t("checks")}</th>
    <th class="num">${t("verifications")}</th><th class="num">${t("late")}</th><th class="num">${t("reports")}</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

export function renderOverdue(element, cases, categories, departments, now) {
  if (!cases.length) {
    element.innerHTML = `<div class="muted empty">${t("noOverdue")}</div>`;
    return;
  }
  const categoryNames = new Map(categories.map((c) => [c.code, c]));
  const departmentNames = new Map(departments.map((d) => [d.code, d]));
  element.innerHTML = cases
    .map((c) => {
      const category = categoryNames.get(c.category);
      const department = departmentNames.get(c.department);
      const by = c.deadline ? span(stoppedAt(c, now) - new Date(c.deadline)) : "";
      return `<li class="case-row${c.urgent ? " urgent" : ""}" data-case="${c.number}" data-grid="${escape(c.grid)}" tabindex="0">
        <span class="case-no">#${c.number}</span>
        <span class="case-what">${escape(category ? named(category.name) : c.category)}
          <small>${escape(department ? named(department.name) : c.department ?? "")} · ${escape(stageName(c.stage))}</small></span>
        <span class="case-late alarm-text">${escape(t("overdueBy", { d: by }))}</span></li>`;
    })
    .join("");
}

/** The live event feed: the newest first, at most `size` rows, drawn once per frame. */
export class Feed {
  constructor(element, { onCase, size = 40 }) {
    this.element = element;
    this.onCase = onCase;
    this.size = size;
    this.items = [];
    this.scheduled = false;
    element.addEventListener("click", (e) => {
      const row = e.target.closest("[data-case]");
      if (row && row.dataset.case) this.onCase(Number(row.dataset.case));
    });
  }

  add(item) {
    this.items.unshift(item);
    if (this.items.length > this.size) this.items.length = this.size;
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => {
        this.scheduled = false;
        this.render();
      });
    }
  }

  clear() {
    this.items = [];
    this.render();
  }

  render() {
    this.element.innerHTML = this.items
      .map((e) => {
        const who = e.by ? `${e.by.name} · ${t(e.by.role)}` : "";
        const tone = e.name === "CaseOverdue" || e.name === "ReworkOrdered" ? "alarm" : e.name === "CaseReported" ? "new" : "";
        return `<li class="feed-row ${tone}" data-case="${e.number ?? ""}" data-position="${e.position}">
          <span class="feed-time">${time(e.at)}</span>
          <span class="feed-what"><b>${escape(eventName(e.name))}</b> ${e.number ? `#${e.number}` : ""}
            <small>${escape(e.detail ?? "")}</small></span>
          <span class="feed-who">${escape(who)}</span></li>`;
      })
      .join("");
  }
}

/** Street, community, category and department selects; `onChange(filter)`. */
export class Filters {
  constructor(element, onChange) {
    this.element = element;
    this.onChange = onChange;
    this.value = { street: "", community: "", category: "", department: "" };
    this.areas = [];
    this.categories = [];
    this.departments = [];
    element.addEventListener("change", (e) => {
      const which = e.target.dataset.filter;
      if (!which) return;
      this.value[which] = e.target.value;
      if (which === "street") this.value.community = "";
      this.render();
      this.onChange(this.current());
    });
    element.addEventListener("click", (e) => {
      if (e.target.dataset.action === "clear-filters") {
        this.value = { street: "", community: "", category: "", department: "" };
        this.render();
        this.onChange(this.current());
      }
    });
  }

  current() {
    return {
      area: this.value.community || this.value.street,
      category: this.value.category,
      department: this.value.department,
    };
  }

  set({ areas, categories, departments }) {
    this.areas = areas;
    this.categories = categories;
    this.departments = departments;
    this.render();
  }

  setDepartment(code) {
    this.value.department = this.value.department === code ? "" : code;
    this.render();
    this.onChange(this.current());
  }

  render() {
    const option = (value, label, chosen) =>
      `<option value="${escape(value)}"${value === chosen ? " selected" : ""}>${escape(label)}</option>`;
    const streets = this.areas.filter((a) => a.kind === "street");
    const communities = this.areas.filter((a) => a.kind === "community" && this.value.street && a.code.startsWith(this.value.street));
    const families = new Map();
    for (const c of this.categories) {
      const group = named(c.major.name);
      if (!families.has(group)) families.set(group, []);
      families.get(group).push(c);
    }
    const v = this.value;
    this.element.innerHTML = `
      <select data-filter="street" aria-label="${t("street")}">${option("", t("allStreets"), v.street)}${streets.map((a) => option(a.code, named(a), v.street)).join("")}</select>
      <select data-filter="community" aria-label="${t("community")}" ${v.street ? "" : "disabled"}>${option("", t("allCommunities"), v.community)}${communities.map((a) => option(a.code, named(a), v.community)).join("")}</select>
      <select data-filter="category" aria-label="${t("category")}">${option("", t("allCategories"), v.category)}${[...families.entries()]
        .map(([group, list]) => `<optgroup label="${escape(group)}">${list.map((c) => option(c.code, `${c.code} ${named(c.name)}`, v.category)).join("")}</optgroup>`)
        .join("")}</select>
      <select data-filter="department" aria-label="${t("department")}">${option("", t("allDepartments"), v.department)}${this.departments.map((d) => option(d.code, named(d.name), v.department)).join("")}</select>
      <button type="button" class="ghost" data-action="clear-filters">${t("clearFilters")}</button>`;
  }
}
