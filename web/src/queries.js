// What the page asks the server: its GraphQL queries and subscriptions, in one place
// because startup, the live page and time travel ask the same ones.

export const Q = {
  viewer: `{ viewer { code name role area department } permissions }`,
  base: `{ catalog { version categories { code family major { code name { zh en } } name { zh en } department limit }
      departments { code name { zh en } } }
    areas { code kind nameZh nameEn } }`,
  maps: `{ gridMap streets: areaMap(kind: STREET) communities: areaMap(kind: COMMUNITY) }`,
  grids: `query Grids($asOf: AsOf) { grids(asOf: $asOf) { code level open overdue urgent dueSoon worker lastReport reasons } }`,
  markers: `query Markers($asOf: AsOf) { caseMarkers(asOf: $asOf) { id number lon lat grid category channel stage urgent overdue reportedAt } }`,
  panels: `query Panels($area: String!, $filter: CaseFilter!, $asOf: AsOf) {
    headline(area: $area, asOf: $asOf) { day at reported filed dispatched closed overdueNow openNow onTimeClosingRate rateFormula rateVersion }
    departmentWorkload(asOf: $asOf) { code queue overdue onTimeRate handled }
    workerWorkload(asOf: $asOf) { id name active grids reports visits checks { case late } verifications { case late } }
    overdue: caseBoard(filter: $filter, sort: DUE, descending: false, first: 40, asOf: $asOf) {
      cases { number stage category department deadline suspendedAt urgent grid } }
  }`,
  components: `query Components($area: String!, $states: [String!], $box: Box, $asOf: AsOf) {
    components(area: $area, states: $states, box: $box, first: 20000, asOf: $asOf) { code lon lat state openCase } }`,
  moment: `query Moment($asOf: AsOf) { moment(asOf: $asOf) { position at head } }`,
};

export const GRID_STATUS = `subscription { gridStatus { code level open overdue urgent dueSoon worker lastReport reasons } }`;

export const EVENTS = `subscription Events($after: Int!, $filter: EventFilter) {
  events(after: $after, filter: $filter) { position name originator version at by { id name role } data } }`;

export const REPLAY = `subscription Replay($start: DateTime!, $end: DateTime!, $speed: Float!, $area: String!) {
  replay(start: $start, end: $end, speed: $speed, area: $area) {
    at position done ended
    grids { code level open overdue urgent dueSoon worker lastReport reasons }
    markers { id number lon lat grid category channel stage urgent overdue reportedAt }
    events { position name originator version at by { id name role } data }
    headline { day at reported filed dispatched closed overdueNow openNow onTimeClosingRate rateFormula rateVersion }
  } }`;

/** Positions back from the head whose case events fill the feed at start. */
export const BACKLOG = 600;
