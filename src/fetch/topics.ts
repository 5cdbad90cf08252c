/** What send(), ping() and publish() take: text, or bytes. */
export type WebSocketData = string | ArrayBuffer | ArrayBufferView;

/** A socket that may subscribe (fetch/websocket.ts's ServerWebSocket). */
export interface Subscriber {
  send(data: WebSocketData): number;
}

/** Bun's publish/subscribe: topics a server's WebSockets subscribe to, and messages published to them. */
export class Topics {
  private readonly subscribers = new Map<string, Set<Subscriber>>();

  subscribe(topic: string, ws: Subscriber): void {
    let set = this.subscribers.get(topic);
    if (set === undefined) this.subscribers.set(topic, set = new Set());
    set.add(ws);
  }

  unsubscribe(topic: string, ws: Subscriber): void {
    const set = this.subscribers.get(topic);
    if (set === undefined) return;
    set.delete(ws);
    if (set.size === 0) this.subscribers.delete(topic);
  }

  isSubscribed(topic: string, ws: Subscriber): boolean {
    return this.subscribers.get(topic)?.has(ws) === true;
  }

  /** The topics a socket is subscribed to. */
  of(ws: Subscriber): string[] {
    return [...this.subscribers].filter(([, set]) => set.has(ws)).map(([topic]) => topic);
  }

  /** A closed socket leaves every topic. */
  leaveAll(ws: Subscriber): void {
    for (const topic of this.of(ws)) this.unsubscribe(topic, ws);
  }

  subscriberCount(topic: string): number {
    return this.subscribers.get(topic)?.size ?? 0;
  }

  /** Sends to every subscriber but `except`; the payload's bytes if any took it, else 0 (Bun's server.publish). */
  publish(topic: string, data: WebSocketData, except: Subscriber | null): number {
    const set = this.subscribers.get(topic);
    if (set === undefined) return 0;
    let sent = 0;
    for (const ws of [...set]) {
      if (ws === except) continue;
      const status = ws.send(data);
      if (status !== 0) sent = Math.max(sent, status);
    }
    return sent;
  }
}
