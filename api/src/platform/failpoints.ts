/**
 * Fault injection for crash tests: a named point in the code where a test can make this process die
 * as abruptly as a power cut (SIGKILL: no finally blocks, no shutdown hooks). Enabled only through
 * config.failpoints, which production refuses.
 */
export type Failpoint = "hold.after-claim" | "checkout.after-charge";

export function createFailpoints(enabled: readonly string[]): (name: Failpoint) => void {
  const active = new Set(enabled);
  return (name) => {
    if (active.has(name)) process.kill(process.pid, "SIGKILL");
  };
}
