//! The key table itself: every binding, in dispatch order, joined from its parts.

mod browsing;
mod editing;
mod fields;
mod global;

use super::Binding;

/// The parts of the table; their order is the dispatch order.
const PARTS: [&[Binding]; 4] = [global::KEYS, fields::KEYS, editing::KEYS, browsing::KEYS];

/// How many bindings the parts hold together.
const LEN: usize = global::KEYS.len() + fields::KEYS.len() + editing::KEYS.len() + browsing::KEYS.len();

/// The parts one after another; a const slice cannot be concatenated any other way.
const JOINED: [Binding; LEN] = join(PARTS);

/// Every binding, in dispatch order: the first one whose scope applies wins.
pub const BINDINGS: &[Binding] = &JOINED;

/// Copies `parts` into one array, in order, at compile time.
const fn join<const N: usize>(parts: [&[Binding]; 4]) -> [Binding; N] {
    let mut out = [parts[0][0]; N];
    let mut n = 0;
    let mut p = 0;
    while p < parts.len() {
        let mut i = 0;
        while i < parts[p].len() {
            out[n] = parts[p][i];
            n += 1;
            i += 1;
        }
        p += 1;
    }
    assert!(n == N, "LEN counts every part");
    out
}
