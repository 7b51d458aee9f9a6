// A seeded pseudo-random source for the scale seed: the same seed gives the same sequence, so the same
// N and seed give the same province. sfc32, seeded from a string through a 32-bit hash (cyrb128).

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

export type Random = {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** An integer in [lo, hi]. */
  between(lo: number, hi: number): number;
  chance(p: number): boolean;
  pick<T>(list: readonly T[]): T;
  /** A whole number with an exponential spread around `mean` (many small, a few large). */
  count(mean: number): number;
  /** 16 base32 characters (80 bits), like randomId() but from the seed. */
  id(): string;
  /** `n` lower-case hex digits. */
  hex(n: number): string;
};

function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703,
    h2 = 3144134277,
    h3 = 1013904242,
    h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  return [(h1 ^ h2 ^ h3 ^ h4) >>> 0, (h2 ^ h1) >>> 0, (h3 ^ h1) >>> 0, (h4 ^ h1) >>> 0];
}

export function seededRandom(seed: string): Random {
  let [a, b, c, d] = cyrb128(seed);
  const u32 = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return t >>> 0;
  };
  for (let i = 0; i < 15; i++) u32();
  const next = () => u32() / 4294967296;
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    between: (lo, hi) => lo + int(hi - lo + 1),
    chance: (p) => next() < p,
    pick: (list) => list[int(list.length)]!,
    count: (mean) => Math.floor(-Math.log(1 - next()) * mean),
    id: () => {
      let s = "";
      let bits = u32();
      for (let i = 0; i < 16; i++) {
        if (i === 6 || i === 12) bits = u32();
        s += BASE32[bits & 31];
        bits >>>= 5;
      }
      return s;
    },
    hex: (n) => {
      let s = "";
      while (s.length < n) s += u32().toString(16).padStart(8, "0");
      return s.slice(0, n);
    },
  };
}
