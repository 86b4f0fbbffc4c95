// How many request-body bytes the proxy holds at once. Each webhook request reserves
// its declared length (the whole review cap when it declares none) before a byte of
// its body is read, and gives it back when its answer is done; a request that does not
// fit is refused at once, so that many large bodies at once cannot fill the memory.

export interface ByteBudget {
  /** Takes `bytes` from the budget when they fit; false (and nothing taken) when they do not. */
  reserve(bytes: number): boolean;
  release(bytes: number): void;
  inUse(): number;
}

export function createByteBudget(limit: number): ByteBudget {
  let used = 0;
  return {
    reserve(bytes) {
      if (used + bytes > limit) return false;
      used += bytes;
      return true;
    },
    release(bytes) {
      used = Math.max(0, used - bytes);
    },
    inUse: () => used,
  };
}
