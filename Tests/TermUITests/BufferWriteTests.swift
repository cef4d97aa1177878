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

/// `write` puts text of simple scalars (CJK, symbols, box drawing) straight into the row; it must
/// leave the buffer as writing it scalar by scalar with `set` does.
@Suite struct BufferWriteSimpleTests {
  /// The scalar-by-scalar way (what `write` did before the run).
  static func reference(_ b: inout Buffer, _ text: String, x: Int, y: Int, style: Style, clip: Rect) -> Int {
    let c = clip.intersection(b.area)
    guard y >= c.y, y < c.maxY else { return x }
    var col = x
    for u in text.unicodeScalars {
      let v = u.value
      let w = v < 0x80 ? 1 : DisplayWidth.simpleWidth(scalar: v)!
      if col + w > c.maxX {
        if col < c.maxX && col >= c.x { b.set(Cell(code: 0x20, width: 1, style: style), x: col, y: y) }
        return c.maxX
      }
      if col >= c.x {
        b.set(Cell(code: v, width: UInt8(w), style: style), x: col, y: y)
      } else if col + w > c.x {
        b.set(Cell(code: 0x20, width: 1, style: style), x: c.x, y: y)
      }
      col += w
    }
    return col
  }

  @Test func simpleRunsMatchScalarByScalarWriting() {
    var rng = SplitMix(seed: 17)
    let under = ["漢", "字", "🚀", "レ", "n", "─"]
    let pieces = ["a", "漢", "─", "é", "🚀", "レ", "…", "│", "z"]
    var nonASCII = 0
    for _ in 0..<4_000 {
      var b = Buffer(width: 12, height: 2)
      var col = Int.random(in: 0...2, using: &rng)
      while col < 12 {
        col = max(col + 1, b.write(under.randomElement(using: &rng)!, x: col, y: 0, style: Style(fg: .red)))
      }
      let text = (0..<Int.random(in: 0...7, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
      // Printable ASCII takes the ASCII run (`asciiRunsOverWideCharactersMatchCellByCellWriting`).
      guard text.utf8.contains(where: { $0 >= 0x80 }) else { continue }
      nonASCII += 1
      let x = Int.random(in: -3...13, using: &rng)
      let clip = Rect(
        x: Int.random(in: -1...10, using: &rng), y: 0, width: Int.random(in: 0...12, using: &rng), height: 2)
      var expected = b
      let expectedEnd = Self.reference(&expected, text, x: x, y: 0, style: Style(fg: .green), clip: clip)
      let end = b.write(text, x: x, y: 0, style: Style(fg: .green), clip: clip)
      #expect(b == expected, "\(text) at \(x), clip \(clip)")
      #expect(end == expectedEnd, "\(text) at \(x), clip \(clip)")
      if b != expected { return }
    }
    #expect(nonASCII > 2_500)
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

/// `copy` moves rows in bulk; it must leave the buffer exactly as the cell-by-cell copy does:
/// clipped to both buffers, a wide grapheme cut by the rectangle's edges (or this buffer's right
/// edge) turned into a space, and so the other half of a wide grapheme of the buffer copied into
/// that the copy overwrites in part — never a head without its continuation or the reverse (the
/// Persona Editor's kept window over a CJK line once left one, and the terminal showed the rest
/// of the row a column off).
@Suite struct BufferCopyTests {
  /// The cell-by-cell way (what `copy` did before the bulk path).
  static func reference(_ b: Buffer, _ rect: Rect, of source: Buffer, toX x: Int, y: Int) -> [Cell] {
    var cells = b.cells
    let r = rect.intersection(source.area)
    for sy in r.y..<r.maxY {
      let ty = y + sy - rect.y
      guard ty >= 0, ty < b.height else { continue }
      for sx in r.x..<r.maxX {
        let tx = x + sx - rect.x
        guard tx >= 0, tx < b.width else { continue }
        var c = source[sx, sy]
        if (c.isContinuation && (sx == r.x || tx == 0)) || (c.width == 2 && (sx + 1 == r.maxX || tx + 1 == b.width)) {
          c = Cell(code: 0x20, width: 1, style: c.style)
        }
        cells[ty * b.width + tx] = c
      }
      // A wide grapheme here cut by the copy: its other half becomes a space.
      let first = max(0, x + r.x - rect.x)
      let end = min(b.width, x + r.maxX - rect.x)
      guard first < end else { continue }
      let row = ty * b.width
      if first > 0 && cells[row + first - 1].width == 2 && !cells[row + first].isContinuation {
        cells[row + first - 1] = Cell(code: 0x20, width: 1, style: cells[row + first - 1].style)
      }
      if end < b.width && cells[row + end].isContinuation && cells[row + end - 1].width != 2 {
        cells[row + end] = Cell(code: 0x20, width: 1, style: cells[row + end].style)
      }
    }
    return cells
  }

  /// Every wide grapheme whole: a head of width 2 followed by its continuation, and no
  /// continuation without its head.
  static func wellFormed(_ b: Buffer) -> Bool {
    for y in 0..<b.height {
      for x in 0..<b.width {
        let c = b[x, y]
        if c.width == 2 && (x + 1 >= b.width || !b[x + 1, y].isContinuation) { return false }
        if c.isContinuation && (x == 0 || b[x - 1, y].width != 2) { return false }
      }
    }
    return true
  }

  @Test func bulkCopyMatchesCellByCellCopy() {
    var rng = SplitMix(seed: 23)
    let pieces = ["漢", "🚀", "a", "b", "レ", " "]
    for _ in 0..<3_000 {
      var source = Buffer(width: Int.random(in: 1...9, using: &rng), height: Int.random(in: 1...4, using: &rng))
      for row in 0..<source.height {
        var col = 0
        while col < source.width {
          let next = source.write(pieces.randomElement(using: &rng)!, x: col, y: row, style: Style(fg: .red))
          col = max(next, col + 1)
        }
      }
      var b = Buffer(width: Int.random(in: 1...9, using: &rng), height: Int.random(in: 1...4, using: &rng))
      // Wide characters under the copy's edges too (the Persona Editor's window over a CJK line).
      for row in 0..<b.height {
        var col = Int.random(in: 0...1, using: &rng)
        while col < b.width {
          let next = b.write(pieces.randomElement(using: &rng)!, x: col, y: row, style: Style(bg: .blue))
          col = max(next, col + 1)
        }
      }
      let rect = Rect(
        x: Int.random(in: -2...8, using: &rng), y: Int.random(in: -1...3, using: &rng),
        width: Int.random(in: 0...10, using: &rng), height: Int.random(in: 0...4, using: &rng))
      let x = Int.random(in: -4...8, using: &rng)
      let y = Int.random(in: -2...3, using: &rng)
      let expected = Self.reference(b, rect, of: source, toX: x, y: y)
      b.copy(rect, of: source, toX: x, y: y)
      #expect(b.cells == expected, "\(rect) to \(x),\(y)")
      #expect(Self.wellFormed(b), "\(rect) to \(x),\(y)")
      if b.cells != expected || !Self.wellFormed(b) { return }
    }
  }
}
