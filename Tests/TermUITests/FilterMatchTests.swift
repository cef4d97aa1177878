import TestSupport
import Testing

@testable import TermUI

/// The list filter answers what lower-casing both and searching by characters answers (what it
/// did before it compared plain ASCII byte by byte), on rows
/// and filters mixing plain ASCII with what makes characters differ from bytes: CR before LF,
/// combining marks after a letter, letters that lower-case outside ASCII or into it (the Kelvin
/// sign), CJK and emoji.
@Suite struct FilterMatchTests {
  @Test func theFilterMatchesAsLowerCasingAndSearchingByCharactersDoes() {
    let pieces = [
      "a", "B", "e", "E", "k", "K", "z", "0", " ", "-", "[", "{", "@", "`", "_", ";", "\u{37E}", "\u{1FEF}", "\u{130}",
      "\r", "\n", "\u{301}", "é", "É",
      "\u{212A}", "İ", "ß", "审",
      "🚀", "👩‍💻", "Worker", "wor", "ORK",
    ]
    var rng = SplitMix(seed: 5)
    func random(_ most: Int) -> String {
      (0..<Int.random(in: 1...most, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }
    var matched = 0
    for _ in 0..<20_000 {
      let row = random(8)
      let filter = random(3)  // (never empty: an empty filter shows every row without a search)
      let expected = FilterMatch.byCharacters(row, filter.lowercased())
      #expect(
        FilterMatch(filter).matches(row) == expected, "\(Array(row.unicodeScalars)) \(Array(filter.unicodeScalars))")
      if expected { matched += 1 }
    }
    #expect(matched > 1_000)
    // The cases the bytes alone would answer wrongly.
    #expect(!FilterMatch("e").matches("cafe\u{301}"))
    #expect(!FilterMatch("\r").matches("a\r\nb"))
    #expect(FilterMatch("k").matches("\u{212A}elvin"))
    #expect(FilterMatch("a;").matches("a\u{37E}"))
    #expect(FilterMatch("`").matches("\u{1FEF} 审"))
    #expect(FilterMatch("WOR").matches("Worker 00001"))
  }

  /// What the filter's byte search relies on: the only characters outside ASCII that equal an
  /// ASCII one are U+037E, U+1FEF and the Kelvin sign, and the only ones that lower-case into
  /// ASCII are the Kelvin sign and U+0130 (to "i" joined with a combining dot: no character "i").
  @Test func theCharactersThatEqualOrLowerCaseIntoASCIIAreTheThreeTheFilterKnows() {
    let ascii = Set((0..<128).map { Character(Unicode.Scalar(UInt8($0))) })
    var equal: [UInt32] = []
    var lowering: [UInt32] = []
    for v in UInt32(0x80)...0x10_FFFF {
      guard let u = Unicode.Scalar(v) else { continue }
      if ascii.contains(Character(u)) { equal.append(v) }
      if String(u).lowercased().unicodeScalars.contains(where: \.isASCII) { lowering.append(v) }
    }
    #expect(equal == [0x37E, 0x1FEF, 0x212A])
    #expect(lowering == [0x130, 0x212A])
    #expect(!"\u{130}".lowercased().contains("i"))
  }

  /// Typing on narrows the search to the rows the last one matched; the matches are those of a
  /// whole search after every key — typing, Backspace, an accent typed after a letter (which
  /// changes the last character), and rows changed under the filter (same count, other text).
  @Test func aNarrowedSearchFindsWhatAWholeSearchFinds() {
    let pieces = [
      "a", "E", "e", "k", "\u{212A}", "\u{301}", "é", "\r", "\n", "审", "查", "🚀", "👩‍💻", " ", "0", "1", ";", "\u{37E}",
    ]
    var rng = SplitMix(seed: 17)
    func random(_ most: Int) -> String {
      (0..<Int.random(in: 1...most, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }
    var rows = (0..<300).map { _ in random(6) }
    var state = ListState()
    var narrowed = 0
    var found = 0
    for _ in 0..<3_000 {
      let roll = Int.random(in: 0..<10, using: &rng)
      if roll < 6 && state.filter.count < 4 {
        state.setFilter(state.filter + pieces.randomElement(using: &rng)!, rows)
        narrowed += 1
      } else if roll < 9 {
        state.setFilter(String(state.filter.dropLast()), rows)
      } else {
        for _ in 0..<5 { rows[Int.random(in: 0..<rows.count, using: &rng)] = random(6) }
        state.refresh(rows)
      }
      let lowered = state.filter.lowercased()
      let whole = state.filter.isEmpty ? nil : rows.indices.filter { FilterMatch.byCharacters(rows[$0], lowered) }
      #expect(state.matches == whole, "\(Array(state.filter.unicodeScalars))")
      if let whole, !whole.isEmpty { found += 1 }
    }
    #expect(narrowed > 1_000 && found > 500, "\(narrowed) typed, \(found) with matches")
  }
}
