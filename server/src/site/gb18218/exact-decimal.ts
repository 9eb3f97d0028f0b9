/**
 * Exact fractions of the decimal numbers people type (quantities, Q, α, β), so that S and R are compared with the
 * GB 18218 thresholds as a hand calculation compares them. In binary floating point 3.4 t of ammonia plus 3.3 t of
 * chlorine gives S = 0.9999999999999999 and the unit would wrongly not be a major hazard source; as fractions,
 * 34/100 + 66/100 = 1 exactly.
 */
export interface Fraction {
  /** Numerator; the sign lives here. */
  readonly n: bigint;
  /** Denominator, > 0. */
  readonly d: bigint;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function reduced(n: bigint, d: bigint): Fraction {
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

/** The decimal a finite number prints as (its shortest round-trip form), as an exact fraction. */
export function fromNumber(x: number): Fraction {
  const m = DECIMAL.exec(String(x));
  if (!m || !Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const [, sign = '', whole = '0', fraction = '', exponent = '0'] = m;
  const digits = BigInt(`${sign}${whole}${fraction}`);
  const scale = Number(exponent) - fraction.length;
  return scale >= 0 ? reduced(digits * 10n ** BigInt(scale), 1n) : reduced(digits, 10n ** BigInt(-scale));
}

export const ZERO: Fraction = { n: 0n, d: 1n };

export function add(a: Fraction, b: Fraction): Fraction {
  return reduced(a.n * b.d + b.n * a.d, a.d * b.d);
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return reduced(a.n * b.n, a.d * b.d);
}

/** a / b; b must not be zero. */
export function div(a: Fraction, b: Fraction): Fraction {
  if (b.n === 0n) throw new RangeError('division by zero');
  const sign = b.n < 0n ? -1n : 1n;
  return reduced(a.n * b.d * sign, a.d * b.n * sign);
}

/** a ≥ b, exactly. */
export function atLeast(a: Fraction, b: Fraction): boolean {
  return a.n * b.d >= b.n * a.d;
}

/** The nearest double (one rounding when numerator and denominator fit in 53 bits, as they do for real inputs). */
export function toNumber(f: Fraction): number {
  return Number(f.n) / Number(f.d);
}
