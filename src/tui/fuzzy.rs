//! A list narrowed by a fuzzy query (nucleo's matcher, as helix and television use it): which
//! items match, best first, and which one is highlighted. The topic filter and the template
//! picker both hold one.

use std::borrow::Cow;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32Str};

/// The matches of one list and its highlight; the items themselves stay with the owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FuzzyList {
    /// Indexes of the items that match the query, best first.
    pub matches: Vec<usize>,
    /// Position in `matches` of the highlighted item.
    pub highlight: usize,
    /// The query `matches` were computed for (trimmed).
    matched_query: String,
    /// What is searched per item, prepared once per list so a key press only scores, never
    /// formats or converts.
    hay: Hay,
    /// The matcher's scratch memory, reused across key presses.
    scratch: Scratch,
}

/// Every item's search text in two buffers (ASCII bytes, and the characters of the others) and
/// where each one is: a key press reads 10,000 of them front to back instead of chasing a
/// pointer per item through a cache the pause before the key left cold, and they are three
/// allocations instead of 10,000 (about 1 MB less for Azure's catalogue).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Hay {
    ascii: Vec<u8>,
    wide: Vec<char>,
    /// Per item: where it starts in its buffer and its length, the top bit of the length set
    /// when it is in `wide`.
    spans: Vec<(u32, u32)>,
    /// Per item, each letter's and digit's best score as a first letter (a nibble each, 18
    /// bytes: 190 KB for 10,000 topics), worked out as the item arrives: the first key of a
    /// search scores every topic, and a table read is some 30 times cheaper than nucleo's search.
    first: Vec<[u8; 18]>,
}

const WIDE: u32 = 1 << 31;

/// Item `i` scored `score`, as one integer whose ascending order is best score first, then
/// the items' order: the sort compares plain u64s.
fn rank_key(score: u32, i: usize) -> u64 {
    (u64::from(u32::MAX - score) << 32) | i as u64
}

/// The item of a [`rank_key`].
fn item_of(key: u64) -> usize {
    (key & u64::from(u32::MAX)) as usize
}

/// The query when it is one ASCII letter or digit (lower case): the first key of a search,
/// which scores every item.
fn one_letter(query: &str) -> Option<u8> {
    match query.as_bytes() {
        &[c] if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
        _ => None,
    }
}

/// A character's class as nucleo's default configuration sees it, for its bonuses.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Whitespace,
    NonWord,
    Delimiter,
    Lower,
    Upper,
    Number,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' => Class::Lower,
        b'A'..=b'Z' => Class::Upper,
        b'0'..=b'9' => Class::Number,
        _ if b.is_ascii_whitespace() => Class::Whitespace,
        b'/' | b',' | b':' | b';' | b'|' => Class::Delimiter,
        _ => Class::NonWord,
    }
}

/// Where a letter or digit keeps its best first-letter score in [`Hay::first`]: a-z (either
/// case) 0-25, digits 26-35.
fn slot(b: u8) -> Option<usize> {
    match b {
        b'a'..=b'z' => Some(usize::from(b - b'a')),
        b'A'..=b'Z' => Some(usize::from(b - b'A')),
        b'0'..=b'9' => Some(26 + usize::from(b - b'0')),
        _ => None,
    }
}

/// nucleo's bonus for a letter or digit of class `here` after one of class `prev` (its
/// default configuration), as a code 1-5 that orders as the bonus does (0: no match).
fn bonus_code(prev: Class, here: Class) -> u8 {
    match (prev, here) {
        (Class::Whitespace, _) => 5,
        (Class::Delimiter, _) => 4,
        (Class::NonWord, _) => 3,
        (Class::Lower, Class::Upper) => 2,
        (p, Class::Number) if p != Class::Number => 2,
        _ => 1,
    }
}

/// The score nucleo gives a one-letter query matched where the bonus has `code`: 16 for the
/// match plus twice the bonus (the first character's multiplier).
fn one_letter_score(code: u8) -> u32 {
    16 + 2 * [0, 0, 5, 8, 9, 10][usize::from(code.min(5))]
}

/// Each letter's and digit's best bonus code in one text, a nibble each.
fn first_letters(text: &[u8]) -> [u8; 18] {
    let mut best = [0u8; 18];
    let mut prev = Class::Whitespace;
    for &b in text {
        let here = class(b);
        if let Some(at) = slot(b) {
            let code = bonus_code(prev, here);
            let (byte, shift) = (at / 2, (at % 2) * 4);
            if code > (best[byte] >> shift) & 0xf {
                best[byte] = (best[byte] & !(0xf << shift)) | (code << shift);
            }
        }
        prev = here;
    }
    best
}

impl Hay {
    /// Scores the one-letter fuzzy query `c` against every item, into `out` keyed as
    /// [`FuzzyList::refilter`] keys them: the same scores nucleo gives (its
    /// `substring_match_1_ascii`: the best over the letter's places of 16 + 2 x the bonus of
    /// what it follows), read from [`Hay::first`] instead of searched for in each item. Items
    /// nucleo scores otherwise (not ASCII; one character, an exact match) go to `other`.
    fn score_one_letter(&self, c: u8, mut other: impl FnMut(usize) -> Option<u64>, out: &mut Vec<u64>) {
        let Some(at) = slot(c) else { return };
        let (byte, shift) = (at / 2, (at % 2) * 4);
        for (i, (&(_, len), best)) in self.spans.iter().zip(&self.first).enumerate() {
            if len & WIDE != 0 || len <= 1 {
                out.extend(other(i));
                continue;
            }
            let code = (best[byte] >> shift) & 0xf;
            if code > 0 {
                out.push(rank_key(one_letter_score(code), i));
            }
        }
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    fn push(&mut self, text: &str) {
        let mut chars = Vec::new();
        let item = Utf32Str::new(text, &mut chars);
        // Offsets are u32: past 2 GiB of text an item is searched as empty, not wrapped.
        let span = |start: usize, len: usize| {
            (
                u32::try_from(start).unwrap_or(0),
                u32::try_from(len).unwrap_or(0).min(WIDE - 1),
            )
        };
        match item {
            Utf32Str::Ascii(bytes) => {
                self.spans.push(span(self.ascii.len(), bytes.len()));
                self.ascii.extend_from_slice(bytes);
                self.first.push(first_letters(bytes));
            }
            Utf32Str::Unicode(cs) => {
                let (start, len) = span(self.wide.len(), cs.len());
                self.spans.push((start, len | WIDE));
                self.wide.extend_from_slice(cs);
                self.first.push([0; 18]);
            }
        }
    }

    fn get(&self, i: usize) -> Option<Utf32Str<'_>> {
        let &(start, len) = self.spans.get(i)?;
        let start = start as usize;
        if len & WIDE == 0 {
            self.ascii.get(start..start + len as usize).map(Utf32Str::Ascii)
        } else {
            self.wide
                .get(start..start + (len & !WIDE) as usize)
                .map(Utf32Str::Unicode)
        }
    }
}

/// The fuzzy matcher's reusable buffers, and the scored candidates of the last key (160 KB for
/// 10,000 topics, which would otherwise be allocated and freed on every key). Not part of what
/// the state means, so every two are equal.
#[derive(Debug, Clone, Default)]
struct Scratch {
    matcher: Box<Matcher>,
    /// (inverted score, item) packed in one integer, so the sort compares plain u64s.
    scored: Vec<u64>,
}

impl PartialEq for Scratch {
    fn eq(&self, _: &Scratch) -> bool {
        true
    }
}

impl Eq for Scratch {}

impl FuzzyList {
    /// New items, searched by `hay` (one text per item, in the items' order), matched against
    /// `query`; the highlight stays where it was, within the matches.
    pub fn set_items(&mut self, hay: impl IntoIterator<Item = String>, query: &str) {
        self.hay = Hay::default();
        for h in hay {
            self.hay.push(&h);
        }
        self.compact();
        self.matched_query.clear();
        self.refilter(query);
    }

    /// More items after the ones there (hay as for [`FuzzyList::set_items`]); only the new
    /// ones are prepared and, with a query, scored.
    pub fn push_items(&mut self, hay: impl IntoIterator<Item = String>, query: &str) {
        let from = self.hay.len();
        for h in hay {
            self.hay.push(&h);
        }
        if query.trim().is_empty() {
            self.matches.extend(from..self.hay.len());
        } else {
            // Scored among the old matches: a full pass, as the ranks interleave.
            self.matched_query.clear();
            self.refilter(query);
        }
    }

    /// Gives back the room the items grew into as they were added.
    pub fn compact(&mut self) {
        self.hay.ascii.shrink_to_fit();
        self.hay.wide.shrink_to_fit();
        self.hay.spans.shrink_to_fit();
        self.hay.first.shrink_to_fit();
        self.matches.shrink_to_fit();
    }

    /// What item `i` is searched by: as it was given when ASCII, otherwise a copy of the
    /// characters the matcher holds (one per grapheme).
    pub fn text(&self, i: usize) -> Cow<'_, str> {
        match self.hay.get(i) {
            Some(Utf32Str::Ascii(bytes)) => String::from_utf8_lossy(bytes),
            Some(Utf32Str::Unicode(chars)) => Cow::Owned(chars.iter().collect()),
            None => Cow::Borrowed(""),
        }
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.hay.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.hay.len() == 0
    }

    /// The index of the highlighted item.
    pub fn highlighted(&self) -> Option<usize> {
        self.matches.get(self.highlight).copied()
    }

    /// Moves the highlight by `delta`, clamped to the matches.
    pub fn step(&mut self, delta: isize) {
        if self.matches.is_empty() {
            return;
        }
        let last = self.matches.len() - 1;
        self.highlight = self.highlight.saturating_add_signed(delta).min(last);
    }

    /// The first match shown so the highlight stays in a list `height` rows tall.
    pub fn first_visible(&self, height: usize) -> usize {
        if height == 0 || self.highlight < height {
            0
        } else {
            self.highlight + 1 - height
        }
    }

    /// The query was edited: match again and highlight the best match.
    pub fn query_changed(&mut self, query: &str) {
        self.refilter(query);
        self.highlight = 0;
    }

    /// Matches `query` again; the highlight stays where it was, within the matches.
    fn refilter(&mut self, query: &str) {
        let query = query.trim();
        let all = self.hay.len();
        if query.is_empty() {
            self.matches.clear();
            self.matches.extend(0..all);
        } else {
            // A longer query can only narrow plain fuzzy atoms, so the last matches are the
            // only candidates: after the first letter each key scores fewer items.
            let narrowing = !self.matched_query.is_empty()
                && query.starts_with(self.matched_query.as_str())
                && self.matches.len() <= all;
            let pattern = Pattern::new(query, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy);
            let Scratch { matcher, scored } = &mut self.scratch;
            let hay = &self.hay;
            let mut score = |i: usize| {
                hay.get(i)
                    .and_then(|h| pattern.score(h, matcher))
                    .map(|s| rank_key(s, i))
            };
            scored.clear();
            if narrowing {
                scored.extend(self.matches.iter().filter_map(|&i| score(i)));
            } else if let Some(c) = one_letter(query) {
                hay.score_one_letter(c, score, scored);
            } else {
                scored.extend((0..all).filter_map(score));
            }
            // The same order whatever order candidates came in: the key holds the item too.
            scored.sort_unstable();
            self.matches.clear();
            self.matches.extend(scored.iter().map(|&k| item_of(k)));
        }
        self.matched_query.clear();
        self.matched_query.push_str(query);
        self.highlight = self.highlight.min(self.matches.len().saturating_sub(1));
    }
}

/// Picks out where a query matched, row after row of one frame (one matcher for them all:
/// its scratch memory is 100 KB).
pub struct Highlighter {
    pattern: Option<Pattern>,
    /// Taken from [`SPARE`] for a query and put back after the frame.
    matcher: Option<Box<Matcher>>,
    buf: Vec<char>,
    at: Vec<u32>,
}

thread_local! {
    /// The highlighter's matcher between frames: making one zeroes its 100 KB, a sixth of
    /// a frame's instructions when it was made anew for each.
    static SPARE: std::cell::RefCell<Option<Box<Matcher>>> = const { std::cell::RefCell::new(None) };
}

impl Drop for Highlighter {
    fn drop(&mut self) {
        if let Some(matcher) = self.matcher.take() {
            SPARE.set(Some(matcher));
        }
    }
}

impl Highlighter {
    /// For `query` (nothing is picked out when it is empty).
    pub fn new(query: &str) -> Highlighter {
        let query = query.trim();
        let pattern = (!query.is_empty())
            .then(|| Pattern::new(query, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy));
        Highlighter {
            matcher: pattern.as_ref().map(|_| SPARE.take().unwrap_or_default()),
            pattern,
            buf: Vec::new(),
            at: Vec::new(),
        }
    }

    /// Where the query matches in `text` (char positions, ascending); empty when it does not.
    pub fn positions(&mut self, text: &str) -> Vec<usize> {
        let (Some(pattern), Some(matcher)) = (&self.pattern, &mut self.matcher) else {
            return Vec::new();
        };
        self.at.clear();
        let hay = nucleo_matcher::Utf32Str::new(text, &mut self.buf);
        if pattern.indices(hay, matcher, &mut self.at).is_none() {
            return Vec::new();
        }
        self.at.sort_unstable();
        self.at.dedup();
        self.at.iter().map(|&i| i as usize).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_mark_each_query_letter_where_it_matched() {
        let text = "Virtual Machine running Windows / Connectivity / Cannot connect by using RDP";
        let at = Highlighter::new("win rdp").positions(text);
        let marked: String = at.iter().filter_map(|&i| text.chars().nth(i)).collect();
        assert_eq!(marked.to_lowercase(), "winrdp");
        assert!(Highlighter::new("zzz").positions(text).is_empty());
        assert!(Highlighter::new("  ").positions(text).is_empty());
    }

    // ASCII and other text live in separate buffers; an item's place in the list and its text
    // must not depend on which one holds it.
    #[test]
    fn text_that_is_not_ascii_is_searched_and_given_back_as_it_was() {
        let mut list = FuzzyList::default();
        list.set_items(
            [
                "Facturation / Problème de paiement".to_string(),
                "Billing / Payment problem".into(),
                "Abonnement résilié".into(),
            ],
            "",
        );
        assert_eq!(list.text(0), "Facturation / Problème de paiement");
        assert_eq!(list.text(1), "Billing / Payment problem");
        assert_eq!(list.text(2), "Abonnement résilié");
        list.query_changed("probleme");
        assert_eq!(list.matches, vec![0], "é is searched as e");
        list.query_changed("payment");
        assert_eq!(list.matches, vec![1]);
        list.query_changed("resilie");
        assert_eq!(list.matches, vec![2]);
        assert_eq!(list.len(), 3);
    }

    proptest::proptest! {
        // The first letter's own pass must rank exactly as nucleo does, whatever the items:
        // cases, digits, delimiters, spaces, one-character and non-ASCII items among them.
        #[test]
        fn the_first_letters_pass_ranks_as_nucleo_does(
            items in proptest::collection::vec("[a-cA-C0-2 /:|_.é-]{0,12}", 0..40),
            letter in "[a-cA-C0-2]",
        ) {
            let mut list = FuzzyList::default();
            list.set_items(items.clone(), "");
            list.query_changed(&letter);
            let pattern = Pattern::new(&letter, CaseMatching::Ignore, Normalization::Smart, AtomKind::Fuzzy);
            let mut matcher = Matcher::default();
            let mut chars = Vec::new();
            let mut expected: Vec<(std::cmp::Reverse<u32>, usize)> = items
                .iter()
                .enumerate()
                .filter_map(|(i, h)| {
                    pattern
                        .score(Utf32Str::new(h, &mut chars), &mut matcher)
                        .map(|s| (std::cmp::Reverse(s), i))
                })
                .collect();
            expected.sort_unstable();
            let expected: Vec<usize> = expected.into_iter().map(|(_, i)| i).collect();
            proptest::prop_assert_eq!(list.matches, expected);
        }
    }

    #[test]
    fn items_pushed_later_are_found_as_if_they_were_there_from_the_start() {
        let mut pushed = FuzzyList::default();
        pushed.set_items(["alpha one".to_string(), "beta".into()], "a");
        pushed.push_items(["gamma alpha".to_string(), "delta".into()], "a");
        let mut whole = FuzzyList::default();
        whole.set_items(
            [
                "alpha one".to_string(),
                "beta".into(),
                "gamma alpha".into(),
                "delta".into(),
            ],
            "a",
        );
        assert_eq!(pushed.matches, whole.matches);
        let mut empty = FuzzyList::default();
        empty.set_items(["x".to_string()], "");
        empty.push_items(["y".to_string()], "");
        assert_eq!(empty.matches, vec![0, 1]);
    }
}
