/**
 * Counts the turns of the event loop while `counting()` holds, until
 * stopped: how a test sees that long work lets the process's other work run
 * (a promise chain that never waits on a timer or I/O lets none).
 */
export function eventLoopTurns(counting: () => boolean = () => true): { stop(): number } {
  let turns = 0;
  let running = true;
  const turn = () => {
    if (!running) return;
    if (counting()) turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  return {
    stop() {
      running = false;
      return turns;
    },
  };
}
