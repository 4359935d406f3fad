//! Token counts in the canonical buckets, below everything that counts, prices, stores or
//! reports them (import, store, pricing, analysis).
//!
//! One shape, [`Buckets`], holds the six buckets whatever the number in them: whole tokens of
//! one request ([`Tokens`]), fractional quantities of an estimate (`pricing::Usage`), signed
//! rollup deltas and sums (`store::query::Sums::tokens`).

use crate::money::Micro;

/// A quantity in each canonical, non-overlapping bucket (LOG-FORMATS §2). `output` includes
/// `reasoning`, so the buckets are not all summed: see [`Buckets::total_input`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Buckets<T> {
    /// Input neither read from nor written to the cache.
    pub uncached_input: T,
    pub cache_read: T,
    /// Input written to the cache for five minutes.
    pub cache_write_5m: T,
    /// Input written to the cache for an hour.
    pub cache_write_1h: T,
    /// Output including reasoning.
    pub output: T,
    /// The reasoning part of `output`.
    pub reasoning: T,
}

/// Whole tokens of one request.
pub type Tokens = Buckets<u64>;

/// A number a bucket can hold: how two of them add and subtract. Integers saturate (a sum of
/// absurd counts sticks at the limit instead of wrapping); [`Micro`] is exact fixed point.
pub trait Count: Copy {
    fn plus(self, other: Self) -> Self;
    fn minus(self, other: Self) -> Self;
}

macro_rules! saturating_count {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn plus(self, other: $t) -> $t {
                self.saturating_add(other)
            }
            fn minus(self, other: $t) -> $t {
                self.saturating_sub(other)
            }
        }
    )*};
}
saturating_count!(u64, i64);

impl Count for Micro {
    fn plus(self, other: Micro) -> Micro {
        self + other
    }
    fn minus(self, other: Micro) -> Micro {
        self - other
    }
}

impl<T> Buckets<T> {
    /// Each bucket through `f`.
    pub fn map<U>(self, mut f: impl FnMut(T) -> U) -> Buckets<U> {
        Buckets {
            uncached_input: f(self.uncached_input),
            cache_read: f(self.cache_read),
            cache_write_5m: f(self.cache_write_5m),
            cache_write_1h: f(self.cache_write_1h),
            output: f(self.output),
            reasoning: f(self.reasoning),
        }
    }

    /// Bucket by bucket: `f(self.x, other.x)` for each of the six.
    pub fn zip_with<U, V>(self, other: Buckets<U>, mut f: impl FnMut(T, U) -> V) -> Buckets<V> {
        Buckets {
            uncached_input: f(self.uncached_input, other.uncached_input),
            cache_read: f(self.cache_read, other.cache_read),
            cache_write_5m: f(self.cache_write_5m, other.cache_write_5m),
            cache_write_1h: f(self.cache_write_1h, other.cache_write_1h),
            output: f(self.output, other.output),
            reasoning: f(self.reasoning, other.reasoning),
        }
    }
}

impl<T: Count> Buckets<T> {
    /// Every input bucket: uncached, cache reads and both cache writes.
    pub fn total_input(&self) -> T {
        self.uncached_input
            .plus(self.cache_read)
            .plus(self.cache_write_5m)
            .plus(self.cache_write_1h)
    }

    /// Adds `other` bucket by bucket.
    pub fn add(&mut self, other: &Buckets<T>) {
        *self = self.zip_with(*other, T::plus);
    }

    /// Takes `other` away bucket by bucket.
    pub fn sub(&mut self, other: &Buckets<T>) {
        *self = self.zip_with(*other, T::minus);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(n: [u64; 6]) -> Tokens {
        let [
            uncached_input,
            cache_read,
            cache_write_5m,
            cache_write_1h,
            output,
            reasoning,
        ] = n;
        Tokens {
            uncached_input,
            cache_read,
            cache_write_5m,
            cache_write_1h,
            output,
            reasoning,
        }
    }

    #[test]
    fn total_input_is_the_four_input_buckets_not_output() {
        // 100 + 2_000 + 30 + 4 = 2_134; output 500 (of which reasoning 60) is not input.
        assert_eq!(tokens([100, 2_000, 30, 4, 500, 60]).total_input(), 2_134);
    }

    #[test]
    fn integer_buckets_saturate_instead_of_wrapping() {
        let mut a = tokens([u64::MAX - 1, 5, 0, 0, 7, 1]);
        a.add(&tokens([10, 6, 1, 2, 3, 4]));
        assert_eq!(a, tokens([u64::MAX, 11, 1, 2, 10, 5]));
        assert_eq!(a.total_input(), u64::MAX);
        a.sub(&tokens([0, 20, 0, 0, 10, 5]));
        assert_eq!(a, tokens([u64::MAX, 0, 1, 2, 0, 0]));

        let mut signed = Buckets::<i64>::default();
        signed.sub(&tokens([3, 0, 0, 0, 0, 0]).map(|v| v as i64));
        assert_eq!(signed.uncached_input, -3);
        signed.add(&Buckets::<i64>::default().map(|_| i64::MAX));
        assert_eq!(signed.uncached_input, i64::MAX - 3);
        assert_eq!(signed.cache_read, i64::MAX);
        assert_eq!(signed.total_input(), i64::MAX);
    }

    #[test]
    fn map_and_zip_keep_each_bucket_in_its_place() {
        let t = tokens([1, 2, 3, 4, 5, 6]);
        let micro = t.map(|v| Micro::from_int(v as i128 * 10));
        assert_eq!(micro.cache_write_1h, Micro::from_int(40));
        assert_eq!(micro.total_input(), Micro::from_int(100));
        let diff = t.zip_with(tokens([6, 5, 4, 3, 2, 1]), |a, b| a as i64 - b as i64);
        assert_eq!(
            diff,
            Buckets {
                uncached_input: -5,
                cache_read: -3,
                cache_write_5m: -1,
                cache_write_1h: 1,
                output: 3,
                reasoning: 5,
            }
        );
    }
}
