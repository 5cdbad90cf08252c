import type { Socket } from "../ports/socket.ts";

/** Unparsed input held while a response is in progress before the socket is paused. */
export const MAX_BUFFERED_INPUT = 64 * 1024;

/**
 * Input backpressure. While a response is in progress, pipelined input is buffered, not parsed;
 * once more than MAX_BUFFERED_INPUT bytes wait, the socket is paused, so a client that sends
 * without reading cannot make the server hold its input without bound. The connection resumes
 * it when it reads again.
 */
export class InputFlow {
  /**
   * Whether the socket is paused. Not part of the connection's phase: it mirrors the socket,
   * and it outlives the phase that set it (a response that ends the connection leaves it so).
   */
  private paused = false;

  constructor(private readonly socket: Pick<Socket, "pause" | "resume">) {}

  get isPaused(): boolean {
    return this.paused;
  }

  /** Input arrived while answering: `buffered` bytes now wait unparsed. */
  held(buffered: number): void {
    if (buffered <= MAX_BUFFERED_INPUT || this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  /** Stop reading now (a WebSocket inflating a message: what follows it waits). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  /** The connection reads again: a paused socket resumes. */
  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.socket.resume();
  }
}
