import TestSupport
import Testing

@testable import TermUI

/// `write` takes a quick path for printable ASCII; it must leave the buffer exactly as writing
/// the same text cell by cell with `set` does: wide characters cut by the run's ends become
/// spaces, clipping on both sides, and the column returned.
@Suite struct BufferWriteTests {
  /// The cell-by-cell way (what `write` did before the quick path).
  static func reference(_ b: inout Buffer, _ text: String, x: Int, y: Int, style: Style, clip: Rect) -> Int {
    let c = clip.intersection(b.area)
    guard y >= c.y, y < c.maxY else { return x }
    var col = x
    for byte in text.utf8 {
      if col >= c.maxX { break }
      if col >= c.x { b.set(Cell(code: UInt32(byte), width: 1, style: style), x: col, y: y) }
      col += 1
    }
    return col
  }

  @Test func asciiRunsOverWideCharactersMatchCellByCellWriting() {
    var rng = SplitMix(seed: 11)
    let wide = ["漢", "字", "🚀", "レ"]
    for _ in 0..<3_000 {
      var b = Buffer(width: 12, height: 2)
      // A row of mixed wide and narrow characters to write over.
      var col = Int.random(in: 0...2, using: &rng)
      while col < 12 {
        if Bool.random(using: &rng) {
          col = b.write(wide.randomElement(using: &rng)!, x: col, y: 0, style: Style(fg: .red))
        } else {
          col = b.write("n", x: col, y: 0, style: Style(bg: .blue))
        }
      }
      let length = Int.random(in: 0...9, using: &rng)
      let text = String((0..<length).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng))) })
      let x = Int.random(in: -3...13, using: &rng)
      let clipX = Int.random(in: -1...10, using: &rng)
      let clip = Rect(x: clipX, y: 0, width: Int.random(in: 0...12, using: &rng), height: 2)
      var expected = b
      let expectedEnd = Self.reference(&expected, text, x: x, y: 0, style: Style(fg: .green), clip: clip)
      let end = b.write(text, x: x, y: 0, style: Style(fg: .green), clip: clip)
      #expect(b == expected, "\(text) at \(x), clip \(clip)")
      #expect(end == expectedEnd, "\(text) at \(x), clip \(clip)")
      if b != expected { return }
    }
  }
}

/// A text area's lines are split by bytes; they must be the lines Swift's grapheme split gives.
@Suite struct TextAreaLinesTests {
  @Test func byteSplitMatchesTheCharacterSplit() {
    var rng = SplitMix(seed: 5)
    let pieces = ["\n", "\r", "\r\n", "a", "é", "e\u{301}", "\u{301}", "漢", "🚀", "👍🏽", " ", "\n\u{301}"]
    for _ in 0..<5_000 {
      let text = (0..<Int.random(in: 0...8, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      var expected = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      if expected.isEmpty { expected = [""] }
      #expect(TextAreaState(text).lines == expected, "\(text.unicodeScalars.map { $0.value })")
      #expect(TextAreaState(text).text == text)
    }
  }
}
