//! The permutation Go's `sort.Sort` (Go 1.22 and later, the pattern-defeating quicksort) makes
//! of a list, for `--sort-by`: kubectl 1.32 sorts with it, and its comparison is not a total
//! order (quantities and other strings, items without the field), so only the same algorithm
//! puts ties, missing fields and inconsistent keys in the order kubectl prints.
//!
//! Unlike Rust's `sort_by`, this never panics and always ends, whatever `less` answers: every
//! loop is bounded by its indexes, as Go's are. Pure.

/// Sorts `0..len` as Go's `sort.Sort` would sort a list whose `Less(i, j)` is
/// `less(order[i], order[j])`, and returns the order (original indexes, first to last).
/// `less` sees original indexes, so it can look keys up once.
pub(crate) fn sort_sort(len: usize, less: impl FnMut(usize, usize) -> bool) -> Vec<usize> {
    let mut data = Data { order: (0..len).collect(), less };
    if len > 1 {
        let limit = bit_length(len);
        pdqsort(&mut data, 0, len, limit);
    }
    data.order
}

/// The list being sorted: positions to original indexes, and the caller's comparison.
struct Data<F> {
    order: Vec<usize>,
    less: F,
}

impl<F: FnMut(usize, usize) -> bool> Data<F> {
    fn less(&mut self, i: usize, j: usize) -> bool {
        (self.less)(self.order[i], self.order[j])
    }

    fn swap(&mut self, i: usize, j: usize) {
        self.order.swap(i, j);
    }
}

/// Go's `bits.Len`: the number of bits needed to write `n`.
fn bit_length(n: usize) -> usize {
    (usize::BITS - n.leading_zeros()) as usize
}

#[derive(Clone, Copy, PartialEq)]
enum Hint {
    Unknown,
    Increasing,
    Decreasing,
}

fn insertion_sort<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize) {
    for i in a + 1..b {
        let mut j = i;
        while j > a && data.less(j, j - 1) {
            data.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// Restores the heap property of `data[lo..hi]` (offset by `first`) below `lo`.
fn sift_down<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, lo: usize, hi: usize, first: usize) {
    let mut root = lo;
    loop {
        let mut child = 2 * root + 1;
        if child >= hi {
            return;
        }
        if child + 1 < hi && data.less(first + child, first + child + 1) {
            child += 1;
        }
        if !data.less(first + root, first + child) {
            return;
        }
        data.swap(first + root, first + child);
        root = child;
    }
}

fn heap_sort<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize) {
    let hi = b - a;
    for i in (0..=(hi - 1) / 2).rev() {
        sift_down(data, i, hi, a);
    }
    for i in (0..hi).rev() {
        data.swap(a, a + i);
        sift_down(data, 0, i, a);
    }
}

fn pdqsort<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, mut a: usize, mut b: usize, mut limit: usize) {
    const MAX_INSERTION: usize = 12;
    let (mut was_balanced, mut was_partitioned) = (true, true);
    loop {
        let length = b - a;
        if length <= MAX_INSERTION {
            insertion_sort(data, a, b);
            return;
        }
        if limit == 0 {
            heap_sort(data, a, b);
            return;
        }
        if !was_balanced {
            break_patterns(data, a, b);
            limit -= 1;
        }
        let (mut pivot, mut hint) = choose_pivot(data, a, b);
        if hint == Hint::Decreasing {
            reverse_range(data, a, b);
            pivot = (b - 1) - (pivot - a);
            hint = Hint::Increasing;
        }
        if was_balanced && was_partitioned && hint == Hint::Increasing && partial_insertion_sort(data, a, b) {
            return;
        }
        if a > 0 && !data.less(a - 1, pivot) {
            a = partition_equal(data, a, b, pivot);
            continue;
        }
        let (mid, already) = partition(data, a, b, pivot);
        was_partitioned = already;
        let (left, right) = (mid - a, b - mid);
        let threshold = length / 8;
        if left < right {
            was_balanced = left >= threshold;
            pdqsort(data, a, mid, limit);
            a = mid + 1;
        } else {
            was_balanced = right >= threshold;
            pdqsort(data, mid + 1, b, limit);
            b = mid;
        }
    }
}

/// One partition around `data[pivot]`: smaller before, the rest after; the pivot's new place,
/// and whether nothing had to move. Indexes are signed as in Go: `j` may pass below `a + 1`.
fn partition<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize, pivot: usize) -> (usize, bool) {
    data.swap(a, pivot);
    let (mut i, mut j) = (a as isize + 1, b as isize - 1);
    while i <= j && data.less(i as usize, a) {
        i += 1;
    }
    while i <= j && !data.less(j as usize, a) {
        j -= 1;
    }
    if i > j {
        data.swap(j as usize, a);
        return (j as usize, true);
    }
    data.swap(i as usize, j as usize);
    i += 1;
    j -= 1;
    loop {
        while i <= j && data.less(i as usize, a) {
            i += 1;
        }
        while i <= j && !data.less(j as usize, a) {
            j -= 1;
        }
        if i > j {
            break;
        }
        data.swap(i as usize, j as usize);
        i += 1;
        j -= 1;
    }
    data.swap(j as usize, a);
    (j as usize, false)
}

/// Elements equal to `data[pivot]` first, then greater ones; where the greater ones start.
fn partition_equal<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize, pivot: usize) -> usize {
    data.swap(a, pivot);
    let (mut i, mut j) = (a as isize + 1, b as isize - 1);
    loop {
        while i <= j && !data.less(a, i as usize) {
            i += 1;
        }
        while i <= j && data.less(a, j as usize) {
            j -= 1;
        }
        if i > j {
            break;
        }
        data.swap(i as usize, j as usize);
        i += 1;
        j -= 1;
    }
    i as usize
}

/// Sorts a nearly sorted range by a few shifts; whether it ended sorted.
fn partial_insertion_sort<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize) -> bool {
    const MAX_STEPS: usize = 5;
    const SHORTEST_SHIFTING: usize = 50;
    let mut i = a + 1;
    for _ in 0..MAX_STEPS {
        while i < b && !data.less(i, i - 1) {
            i += 1;
        }
        if i == b {
            return true;
        }
        if b - a < SHORTEST_SHIFTING {
            return false;
        }
        data.swap(i, i - 1);
        if i - a >= 2 {
            // Go shifts down to index 1, not to `a`: kept, as it decides the order.
            let mut j = i - 1;
            while j >= 1 {
                if !data.less(j, j - 1) {
                    break;
                }
                data.swap(j, j - 1);
                j -= 1;
            }
        }
        if b - i >= 2 {
            let mut j = i + 1;
            while j < b {
                if !data.less(j, j - 1) {
                    break;
                }
                data.swap(j, j - 1);
                j += 1;
            }
        }
    }
    false
}

/// Swaps three middle elements with pseudo-random ones (Go's xorshift seeded with the length).
fn break_patterns<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize) {
    let length = b - a;
    if length < 8 {
        return;
    }
    let mut random = length as u64;
    let modulus = 1usize << bit_length(length);
    let middle = a + (length / 4) * 2;
    for index in middle - 1..=middle + 1 {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        let mut other = (random as usize) & (modulus - 1);
        if other >= length {
            other -= length;
        }
        data.swap(index, a + other);
    }
}

/// The pivot (median of three, or Tukey's ninther for 50 and more) and what its choice
/// suggests about the range's order.
fn choose_pivot<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize) -> (usize, Hint) {
    const SHORTEST_NINTHER: usize = 50;
    const MAX_SWAPS: usize = 4 * 3;
    let l = b - a;
    let mut swaps = 0;
    let (mut i, mut j, mut k) = (a + l / 4, a + l / 4 * 2, a + l / 4 * 3);
    if l >= 8 {
        if l >= SHORTEST_NINTHER {
            i = median(data, i - 1, i, i + 1, &mut swaps);
            j = median(data, j - 1, j, j + 1, &mut swaps);
            k = median(data, k - 1, k, k + 1, &mut swaps);
        }
        j = median(data, i, j, k, &mut swaps);
    }
    match swaps {
        0 => (j, Hint::Increasing),
        MAX_SWAPS => (j, Hint::Decreasing),
        _ => (j, Hint::Unknown),
    }
}

fn order2<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize, swaps: &mut usize) -> (usize, usize) {
    if data.less(b, a) {
        *swaps += 1;
        return (b, a);
    }
    (a, b)
}

fn median<F: FnMut(usize, usize) -> bool>(
    data: &mut Data<F>,
    a: usize,
    b: usize,
    c: usize,
    swaps: &mut usize,
) -> usize {
    let (a, b) = order2(data, a, b, swaps);
    let (b, _) = order2(data, b, c, swaps);
    let (_, b) = order2(data, a, b, swaps);
    b
}

fn reverse_range<F: FnMut(usize, usize) -> bool>(data: &mut Data<F>, a: usize, b: usize) {
    data.order[a..b].reverse();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SplitMix64, for random inputs without a dependency.
    fn random(seed: &mut u64) -> u64 {
        *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    #[test]
    fn sorts_consistent_keys_and_is_a_permutation() {
        let mut seed = 7;
        for round in 0..400 {
            let len = (random(&mut seed) % 300) as usize;
            let spread = 1 + random(&mut seed) % if round % 2 == 0 { 5 } else { 1000 };
            let keys: Vec<u64> = (0..len).map(|_| random(&mut seed) % spread).collect();
            let order = sort_sort(len, |i, j| keys[i] < keys[j]);
            let mut seen = order.clone();
            seen.sort_unstable();
            assert_eq!(seen, (0..len).collect::<Vec<_>>());
            assert!(order.windows(2).all(|w| keys[w[0]] <= keys[w[1]]), "{keys:?} -> {order:?}");
        }
    }

    #[test]
    fn any_answer_from_less_ends_in_a_permutation() {
        // Random answers, and answers that are no order at all: never a panic, always every item.
        let mut seed = 11;
        for _ in 0..300 {
            let len = (random(&mut seed) % 200) as usize;
            let mut answers = seed;
            let order = sort_sort(len, |_, _| random(&mut answers).is_multiple_of(2));
            let mut seen = order.clone();
            seen.sort_unstable();
            assert_eq!(seen, (0..len).collect::<Vec<_>>());
            assert_eq!(sort_sort(len, |_, _| true).len(), len);
        }
    }

    #[test]
    fn small_lists_are_insertion_sorted() {
        // Go's insertion sort moves an item while Less(j, j-1): "always less" reverses the list.
        assert_eq!(sort_sort(5, |_, _| true), [4, 3, 2, 1, 0]);
        assert_eq!(sort_sort(5, |_, _| false), [0, 1, 2, 3, 4]);
    }
}
