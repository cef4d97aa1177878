import Foundation  // (the canonical decomposition, as the oracle: the app itself does not use it)
import TestSupport
import Testing

@testable import TermUI

/// A filter that starts with a CJK unified ideograph skips the rows whose bytes hold neither that
/// ideograph nor a compatibility ideograph; these tests check what that relies on, and that the
/// answers stay those of the search by characters.
@Suite struct IdeographFilterTests {
  /// No character lower-cases or decomposes (canonically) into a unified ideograph but itself and
  /// the compatibility ideographs — checked for every scalar, with Foundation's decomposition as
  /// the oracle. Each unified ideograph is its own decomposition and a starter (nothing can move
  /// in front of it), three bytes of UTF-8 from E3 on; each compatibility ideograph is found by
  /// `mayHold` whatever the ideograph looked for.
  @Test func onlyTheIdeographAndTheCompatibilityIdeographsCanBecomeIt() {
    func isUnified(_ v: UInt32) -> Bool { FilterMatch.unifiedIdeographs.contains { $0.contains(v) } }
    func isCompatibility(_ v: UInt32) -> Bool { FilterMatch.compatibilityIdeographs.contains { $0.contains(v) } }
    var becoming: [UInt32] = []
    var compatibilityBecoming = 0
    for v in UInt32(0)...0x10_FFFF {
      guard let u = Unicode.Scalar(v) else { continue }
      let decomposed = String(u).lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
      let into = decomposed.filter { isUnified($0.value) && $0 != u }
      if into.isEmpty { continue }
      if isCompatibility(v) { compatibilityBecoming += 1 } else { becoming.append(v) }
    }
    #expect(becoming == [])
    // (Most compatibility ideographs are equal to a unified one in these two blocks.)
    #expect(compatibilityBecoming > 500)

    for range in FilterMatch.unifiedIdeographs {
      for v in range {
        let u = Unicode.Scalar(v)!
        let s = String(u)
        if s.decomposedStringWithCanonicalMapping.unicodeScalars.elementsEqual([u]) == false
          || u.properties.canonicalCombiningClass != .notReordered || s.utf8.count != 3 || s.utf8.first! < 0xE3
          || s.lowercased() != s
        {
          Issue.record("U+\(String(v, radix: 16, uppercase: true))")
        }
      }
    }
    let looked = Array("审".utf8)
    for range in FilterMatch.compatibilityIdeographs {
      for v in range {
        guard let u = Unicode.Scalar(v) else { continue }
        let bytes = Array("a\(u)b".utf8)
        let found = bytes.withUnsafeBufferPointer { FilterMatch.mayHold((looked[0], looked[1], looked[2]), $0) }
        if !found { Issue.record("U+\(String(v, radix: 16, uppercase: true)) not seen") }
      }
    }
  }

  /// Rows and filters of ideographs (unified, Extension A, compatibility ones and the unified
  /// ones they equal), accents after them, kana, Latin and emoji: the same answers as the search
  /// by characters.
  @Test func aFilterStartingWithAnIdeographMatchesAsTheSearchByCharacters() {
    let pieces = [
      "审", "查", "员", "\u{8C48}", "\u{F900}", "\u{4E3D}", "\u{2F800}", "\u{3400}", "\u{9FFF}", "\u{FA0E}",
      "\u{301}", "\u{200D}", "レ", "ビ", "\u{30D2}\u{3099}", "a", "É", "\u{212A}", " ", "0", "🚀", "\r", "\n",
    ]
    var rng = SplitMix(seed: 23)
    func random(_ most: Int) -> String {
      (0..<Int.random(in: 1...most, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }
    var skipped = 0
    var matched = 0
    for _ in 0..<30_000 {
      let row = random(8)
      let filter = random(3)
      let needle = FilterMatch(filter)
      let expected = FilterMatch.byCharacters(row, filter.lowercased())
      #expect(needle.matches(row) == expected, "\(Array(row.unicodeScalars)) \(Array(filter.unicodeScalars))")
      if expected { matched += 1 }
      if let ideograph = needle.ideograph,
        Array(row.utf8).withUnsafeBufferPointer({ FilterMatch.mayHold(ideograph, $0) }) == false
      {
        skipped += 1
      }
    }
    // Both ways taken often: rows answered from their bytes, and matches.
    #expect(skipped > 3_000 && matched > 1_000, "\(skipped) skipped, \(matched) matched")
    #expect(FilterMatch("\u{8C48}").matches("x\u{F900}y"))
    #expect(FilterMatch("\u{4E3D}").matches("\u{2F800}"))
    #expect(!FilterMatch("审").matches("审\u{301}"))
    #expect(FilterMatch("审").matches("审查员 00016 レビュー"))
    #expect(!FilterMatch("审").matches("Worker 00017"))
    #expect(
      FilterMatch("审").ideograph != nil && FilterMatch("レ").ideograph == nil && FilterMatch("a审").ideograph == nil)
  }
}
