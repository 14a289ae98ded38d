// The page's one way to the server: GraphQL over HTTP for queries and mutations, and
// graphql-transport-ws (the graphql-ws client) for subscriptions. The socket reconnects
// forever with a capped backoff; a subscription whose variables say where to resume
// (`after`) resumes from the last position it saw, because graphql-ws sends a
// subscription's payload anew on every reconnect and we keep that payload current.

import { createClient } from "graphql-ws";

export class SignInNeeded extends Error {}

export class QueryFailed extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join("; "));
    this.errors = errors;
  }
}

const FATAL = new Set([4400, 4401, 4403, 4406]);
/** Close codes after which retrying cannot help: bad request, a token refused. */
const PERMANENT = new Set(["FORBIDDEN", "BAD_USER_INPUT", "UNAUTHENTICATED"]);
/** Error codes of a subscription that asking again cannot change. */

export class Api {
  constructor(token, onStatus) {
    this.token = token;
    this.onStatus = onStatus;
    this.connectedOnce = false;
    this.httpUrl = new URL("/graphql", location.href).href;
    const ws = new URL("/graphql", location.href);
    ws.protocol = location.protocol === "https:" ? "wss:" : "ws:";
    this.client = createClient({
      url: ws.href,
      lazy: false,
      keepAlive: 10_000,
      retryAttempts: Infinity,
      connectionParams: () => ({ Authorization: `Bearer ${this.token}` }),
      shouldRetry: (event) => !(event && FATAL.has(event.code)),
      retryWait: async (retries) => {
        const wait = Math.min(500 * 2 ** retries, 5000) + Math.random() * 300;
        await new Promise((resolve) => setTimeout(resolve, wait));
      },
      onNonLazyError: (event) => {
        if (event && FATAL.has(event.code)) this.onStatus("refused");
      },
      on: {
        connecting: () => this.onStatus(this.connectedOnce ? "reconnecting" : "connecting"),
        connected: () => {
          const again = this.connectedOnce;
          this.connectedOnce = true;
          this.onStatus("live", again);
        },
        closed: (event) => {
          if (event && FATAL.has(event.code)) this.onStatus("refused");
          else if (this.connectedOnce) this.onStatus("reconnecting");
        },
      },
    });
  }

  async query(query, variables = {}) {
    let response;
    try {
      response = await fetch(this.httpUrl, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new QueryFailed([{ message: String(error.message || error) }]);
    }
    if (response.status === 401) throw new SignInNeeded();
    let answer;
    try {
      answer = await response.json();
    } catch {
      throw new QueryFailed([{ message: `HTTP ${response.status}` }]);
    }
    if (answer.errors?.length) {
      if (answer.errors.some((e) => e.extensions?.code === "UNAUTHENTICATED")) {
        throw new SignInNeeded();
      }
      throw new QueryFailed(answer.errors);
    }
    return answer.data;
  }

  /** Wait (3 s at most) until the views reflect `position`: what a command recorded is
   * then what a query reads. */
  async caughtUp(position) {
    const until = Date.now() + 3000;
    while (Date.now() < until) {
      try {
        const health = await (await fetch(new URL("/healthz", location.href))).json();
        if (health.position >= position) return true;
      } catch {
        // the server is away: try again until the time is up
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  /**
   * Subscribe; `payload.variables` may be changed by the caller while it runs (the next
   * reconnect sends them as they are then). A subscription the server ends with an error
   * (it fell behind, say) is started again after a moment. Returns a function that stops it.
   */
  subscribe(payload, next, { onError } = {}) {
    let stopped = false;
    let dispose = () => {};
    const start = () => {
      dispose = this.client.subscribe(payload, {
        next: (answer) => {
          if (answer.errors?.length) {
            onError?.(new QueryFailed(answer.errors));
            return;
          }
          next(answer.data);
        },
        error: (error) => {
          if (stopped) return;
          onError?.(error);
          const permanent =
            Array.isArray(error) && error.some((e) => PERMANENT.has(e.extensions?.code));
          if (!permanent) setTimeout(() => !stopped && start(), 1500);
        },
        complete: () => {},
      });
    };
    start();
    return () => {
      stopped = true;
      dispose();
    };
  }

  close() {
    this.client.dispose();
  }
}
