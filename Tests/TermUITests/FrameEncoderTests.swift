import TestSupport
import Testing

@testable import TermUI

/// A small model of a VT terminal that understands exactly what `FrameEncoder` may write (CUP,
/// CUF/CUB/CUU/CUD, BS, CR, LF, HT, HPA, VPA, EL, ECH, ED 2, SGR): replaying the encoder's bytes into it
/// must give the frame, cell for cell — whatever came before.
struct VTModel {
  var width: Int
  var height: Int
  var cells: [Cell]
  var row = 0
  var col = 0
  var style = Style()
  var pendingWrap = false

  init(width: Int, height: Int) {
    self.width = width
    self.height = height
    cells = Array(repeating: Cell("?", style: Style(fg: .red)), count: width * height)  // garbage
  }

  mutating func feed(_ bytes: [UInt8]) throws {
    let text = String(decoding: bytes, as: UTF8.self)
    var scalars = Array(text.unicodeScalars)[...]
    while let u = scalars.first {
      scalars = scalars.dropFirst()
      switch u.value {
      case 0x1B:
        guard scalars.first == "[" else { throw Failure("ESC not followed by [") }
        scalars = scalars.dropFirst()
        var params = ""
        while let p = scalars.first, p.value >= 0x30 && p.value <= 0x3F {
          params.unicodeScalars.append(p)
          scalars = scalars.dropFirst()
        }
        guard let final = scalars.first else { throw Failure("unfinished CSI") }
        scalars = scalars.dropFirst()
        try csi(params, Character(final))
      case 0x08:
        col = max(0, col - 1)
        pendingWrap = false
      case 0x0D:
        col = 0
        pendingWrap = false
      case 0x09:
        // To the next tab stop (every 8 columns, as a terminal starts), or the last column;
        // the cells passed are left as they are.
        col = min(width - 1, (col / 8 + 1) * 8)
        pendingWrap = false
      case 0x0A:
        // One row down, same column; on the last row it would scroll, which the encoder must
        // never make the terminal do.
        guard row < height - 1 else { throw Failure("line feed on the last row") }
        row += 1
        pendingWrap = false
      case 0..<0x20, 0x7F..<0xA0:
        throw Failure("control character U+\(String(u.value, radix: 16)) in the output")
      default:
        put(Character(u))
      }
    }
  }

  mutating func put(_ c: Character) {
    let w = DisplayWidth.width(of: c)
    if pendingWrap {
      // The encoder never writes after the last column without a move first.
      col = 0
      row = min(height - 1, row + 1)
      pendingWrap = false
    }
    let i = row * width + col
    cells[i] = Cell(String(c), width: UInt8(w), style: style)
    if w == 2 && col + 1 < width { cells[i + 1] = .continuation(style) }
    if col + w >= width {
      col = width - 1
      pendingWrap = true
    } else {
      col += w
    }
  }

  mutating func csi(_ params: String, _ final: Character) throws {
    let nums = params.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) }
    func n(_ k: Int, _ d: Int = 1) -> Int { k < nums.count ? (nums[k] ?? d) : d }
    pendingWrap = false
    switch final {
    case "H":
      row = n(0) - 1
      col = n(1) - 1
    case "C": col = min(width - 1, col + n(0))
    case "D": col = max(0, col - n(0))
    case "A": row = max(0, row - n(0))
    case "B": row = min(height - 1, row + n(0))
    case "G": col = n(0) - 1
    case "d": row = n(0) - 1
    case "K":
      for x in col..<width { cells[row * width + x] = Cell(" ", style: Style(bg: style.bg)) }
    case "X":
      for x in col..<min(width, col + n(0)) { cells[row * width + x] = Cell(" ", style: Style(bg: style.bg)) }
    case "J":
      guard n(0) == 2 else { throw Failure("ED \(params)") }
      cells = Array(repeating: Cell(" ", style: Style(bg: style.bg)), count: width * height)
    case "m":
      try sgr(params.isEmpty ? [0] : nums.map { $0 ?? 0 })
    default:
      throw Failure("unexpected CSI \(params)\(final)")
    }
  }

  mutating func sgr(_ ps: [Int]) throws {
    var k = 0
    func color(_ v: Int) -> Color { v < 8 ? .ansi(UInt8(v)) : .ansi(UInt8(v)) }
    while k < ps.count {
      let p = ps[k]
      switch p {
      case 0: style = Style()
      case 1: style.attributes.insert(.bold)
      case 2: style.attributes.insert(.dim)
      case 4: style.attributes.insert(.underline)
      case 7: style.attributes.insert(.reverse)
      case 30...37: style.fg = .ansi(UInt8(p - 30))
      case 39: style.fg = .default
      case 40...47: style.bg = .ansi(UInt8(p - 40))
      case 49: style.bg = .default
      case 90...97: style.fg = .ansi(UInt8(p - 90 + 8))
      case 100...107: style.bg = .ansi(UInt8(p - 100 + 8))
      case 38, 48:
        guard k + 2 < ps.count, ps[k + 1] == 5 else { throw Failure("SGR \(ps)") }
        if p == 38 { style.fg = .indexed(UInt8(ps[k + 2])) } else { style.bg = .indexed(UInt8(ps[k + 2])) }
        k += 2
      default: throw Failure("SGR \(p)")
      }
      k += 1
    }
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
  }

  /// The differences from a buffer (style compared as the terminal shows it).
  /// Two cells look the same: the same style; for a blank, the same background and the same
  /// attributes that show on a blank (reverse, which also shows the foreground, and underline).
  static func looksTheSame(_ a: Cell, _ b: Cell) -> Bool {
    guard a.text == " " && b.text == " " else { return a.style == b.style }
    let shows: Attributes = [.reverse, .underline]
    let sa = a.style.attributes.intersection(shows)
    guard a.style.bg == b.style.bg && sa == b.style.attributes.intersection(shows) else { return false }
    return !sa.contains(.reverse) || a.style.fg == b.style.fg
  }

  func differences(from b: Buffer, ignoring: Set<Int> = []) -> [String] {
    var out: [String] = []
    for i in b.cells.indices where !ignoring.contains(i) {
      let want = b.cells[i]
      let have = cells[i]
      if want.isContinuation != have.isContinuation || (!want.isContinuation && want.text != have.text)
        || !Self.looksTheSame(want, have)
      {
        out.append(
          "(\(i % width),\(i / width)) want \(want.text.debugDescription) \(want.style) have \(have.text.debugDescription) \(have.style)"
        )
      }
    }
    return out
  }
}

@Suite struct FrameEncoderTests {
  let normal = Style()
  let highlight = Style(fg: .black, bg: .cyan, .bold)

  func list(_ selected: Int, top: Int = 0, width: Int = 40, height: Int = 12) -> Buffer {
    var b = Buffer(width: width, height: height)
    Panel.draw(
      into: &b, area: Rect(x: 0, y: 0, width: width, height: height), title: "Personas", focused: true, theme: .color)
    for r in 0..<(height - 2) {
      let item = top + r
      let text = "item\(item)  审查员 \(item)"
      b.write(text, x: 2, y: r + 1, style: item == selected ? highlight : normal)
    }
    return b
  }

  @Test func aHighlightMoveWritesTwoRowsOnly() {
    var e = FrameEncoder(features: .xterm256, monochrome: false)
    var out: [UInt8] = []
    e.encode(list(3), since: nil, into: &out)
    out.removeAll()
    e.encode(list(4), since: list(3), into: &out)
    let text = String(decoding: out, as: UTF8.self)
    #expect(text.contains("item3") && text.contains("item4"))
    #expect(!text.contains("item5"))
    #expect(out.count < 80, "\(out.count) bytes: \(text.debugDescription)")
  }

  /// Rows changed one under the other (a list scrolling): a line feed moves down where `cud1` is
  /// one, then along the row; never on a terminal that may turn it into CR LF.
  @Test func aLineFeedMovesToTheNextRow() throws {
    let old = Buffer(width: 20, height: 4)
    var new = old
    new.write("abc", x: 3, y: 0, style: Style())
    new.write("def", x: 3, y: 1, style: Style())  // from column 6: LF, then 3 back
    new.write("g", x: 6, y: 2, style: Style())  // from column 6: LF alone
    new.write("h", x: 0, y: 3, style: Style())  // from column 7: LF, CR
    for (features, lineFeeds) in [(TerminalFeatures.xterm256, 3), (.vt100, 0)] {
      let out = try Self.replayedChange(from: old, to: new, features)
      #expect(out.filter { $0 == 0x0A }.count == lineFeeds, "\(String(decoding: out, as: UTF8.self).debugDescription)")
    }
  }

  /// Rows of a column that starts on a tab stop (a list at column 24): the next row is a line
  /// feed, a carriage return and three tabs (5 bytes, against 6 for a line feed and `CSI 13 D`);
  /// a move right across a tab stop is tabs and the rest; never where terminfo has no tabs.
  @Test func tabsMoveToTabStops() throws {
    let old = Buffer(width: 60, height: 3)
    var new = old
    new.write("Planner 00018", x: 24, y: 0, style: Style())
    new.write("Tester 00019", x: 24, y: 1, style: Style())
    new.write("x", x: 35, y: 2, style: Style())  // from 36 on row 1: LF, then 1 back (BS)
    new.write("y", x: 50, y: 2, style: Style())  // from 36: CUF 14 (a tab and CUF 10 is longer)
    let tabbed = try Self.replayedChange(from: old, to: new, .xterm256)
    let text = String(decoding: tabbed, as: UTF8.self)
    #expect(text.contains("Planner 00018\n\r\t\t\tTester 00019"), "\(text.debugDescription)")
    var plain = TerminalFeatures.xterm256
    plain.hardTabs = false
    let untabbed = try Self.replayedChange(from: old, to: new, plain)
    #expect(!untabbed.contains(0x09))
    // From the top-left corner: three tabs instead of `CSI 24 C` (2 bytes less), then 1 less.
    #expect(text.hasPrefix("\t\t\tPlanner"))
    #expect(text.hasSuffix("\u{1B}[14Cy"))
    #expect(tabbed.count == untabbed.count - 3, "\(text.debugDescription)")
  }

  /// The bytes that turn `old` (painted in full first) into `new`, checked by replaying both on
  /// a VT model.
  static func replayedChange(from old: Buffer, to new: Buffer, _ features: TerminalFeatures) throws -> [UInt8] {
    var e = FrameEncoder(features: features, monochrome: false)
    var vt = VTModel(width: old.width, height: old.height)
    var out: [UInt8] = []
    e.encode(old, since: nil, into: &out)
    try vt.feed(out)
    out.removeAll()
    e.encode(new, since: old, into: &out)
    try vt.feed(out)
    #expect(vt.differences(from: new).isEmpty)
    return out
  }

  /// A field on a grey background cleared: with `bce` an erase of the background, without it the
  /// blanks themselves; reverse or underlined blanks are always written.
  @Test func colouredBlanksAreErasedOnlyWhereTheTerminalFillsWithTheBackground() throws {
    func clear(_ features: TerminalFeatures, _ style: Style) throws -> String {
      var old = Buffer(width: 40, height: 1)
      old.write(String(repeating: "x", count: 30), x: 0, y: 0, style: style)
      var new = Buffer(width: 40, height: 1)
      new.write("y", x: 0, y: 0, style: style)
      new.fill(Rect(x: 1, y: 0, width: 29, height: 1), with: Cell(" ", style: style))
      new.write("z", x: 30, y: 0, style: .plain)
      return String(decoding: try Self.replayedChange(from: old, to: new, features), as: UTF8.self)
    }
    let grey = Style(fg: .black, bg: .indexed(244))
    let erased = try clear(.xterm256, grey)
    #expect(erased.contains("\u{1B}[29X"))
    #expect(erased.count < 25, "\(erased.debugDescription)")
    #expect(try clear(.screen256, grey).contains(String(repeating: " ", count: 29)))
    #expect(try clear(.xterm256, grey.adding(.reverse)).contains(String(repeating: " ", count: 29)))
    #expect(try clear(.xterm256, grey.adding(.underline)).contains(String(repeating: " ", count: 29)))
  }

  @Test func nothingChangedWritesNothing() {
    var e = FrameEncoder(features: .xterm256, monochrome: false)
    var out: [UInt8] = []
    e.encode(list(3), since: nil, into: &out)
    out.removeAll()
    e.encode(list(3), since: list(3), into: &out)
    #expect(out.isEmpty)
  }

  /// Random frames, random changes, every feature set: replaying the bytes gives the frame.
  @Test(arguments: [
    TerminalFeatures.xterm256, .screen256, .vt100,
    TerminalFeatures(
      colors: 8, eraseCharacters: true, absoluteColumnAndRow: true, clearToEndOfLine: false, pendingWrap: false),
    TerminalFeatures(
      colors: 16, eraseCharacters: false, absoluteColumnAndRow: false, clearToEndOfLine: true, pendingWrap: false,
      lineFeedMovesDown: true, hardTabs: true),
  ])
  func replayingTheBytesGivesTheFrame(_ features: TerminalFeatures) throws {
    try Self.replayRandomFrames(features, seed: 42, split: false)
  }

  /// Frames with a column split (at any column, wide characters across it included), sent part
  /// by part: replaying the bytes gives the frame.
  @Test(arguments: [TerminalFeatures.xterm256, .screen256, .vt100])
  func aFrameSentPartByPartIsTheFrame(_ features: TerminalFeatures) throws {
    // Fewer reversed and underlined blanks than above: more runs of blanks an erase can make, up
    // to the split and across it.
    try Self.replayRandomFrames(
      features, seed: 7, split: true, steps: 200,
      styles: [Style(), Style(fg: .red), Style(bg: .blue, .bold), Style(.reverse), Style(bg: .ansi(8))])
  }

  /// 60 frames of each size, each a random change of the last (some sent whole), replayed on the
  /// VT model; with `split`, each frame marks a random column between two parts.
  static func replayRandomFrames(
    _ features: TerminalFeatures, seed: UInt64, split: Bool, steps: Int = 60, styles given: [Style]? = nil
  ) throws {
    var rng = SplitMix(seed: seed)
    let texts = ["a", "b", " ", "名", "😀", "é", "─", "x", " ", " ", " "]
    // Colours the terminal can show as they are (mapping others down is tested apart).
    let styles =
      given
      ?? [
        Style(), Style(fg: .red), Style(bg: .blue, .bold), Style(.reverse), Style(.underline), Style(fg: .white, .dim),
      ]
      + (features.colors >= 256 ? [Style(fg: .indexed(208), bg: .ansi(8)), Style(bg: .ansi(12), .dim)] : [])
    let mono = features.colors == 0
    for size in [(1, 1), (2, 1), (7, 3), (30, 8), (41, 5)] {
      var e = FrameEncoder(features: features, monochrome: mono)
      var vt = VTModel(width: size.0, height: size.1)
      var previous: Buffer?
      for step in 0..<steps {
        var b = previous ?? Buffer(width: size.0, height: size.1)
        let changes = step == 0 ? size.0 * size.1 : Int(rng.next() % UInt64(size.0 * size.1 / 2 + 1))
        for _ in 0..<changes {
          let x = Int(rng.next() % UInt64(size.0))
          let y = Int(rng.next() % UInt64(size.1))
          let t = texts[Int(rng.next() % UInt64(texts.count))]
          b.write(t, x: x, y: y, style: styles[Int(rng.next() % UInt64(styles.count))])
        }
        if split { b.columnSplit = Int(rng.next() % UInt64(size.0 + 1)) }
        var out: [UInt8] = []
        e.encode(b, since: step % 17 == 5 ? nil : previous, into: &out)
        try vt.feed(out)
        var expected = b
        if mono { expected.restyle(expected.area) { $0 = Style(fg: .default, bg: .default, $0.attributes) } }
        // The bottom-right cell (with a wide character ending there) is never written on a
        // terminal that wraps at once.
        var ignored: Set<Int> = []
        if !features.pendingWrap {
          let last = expected.cells.count - 1
          ignored = expected.cells[last].isContinuation ? [last, last - 1] : [last]
        }
        let diff = vt.differences(from: expected, ignoring: ignored)
        #expect(diff.isEmpty, "size \(size) step \(step) split \(b.columnSplit ?? -1): \(diff.prefix(3))")
        if !diff.isEmpty { return }
        previous = b
      }
    }
  }

  /// A left part that now ends in blanks is erased up to the split, not to the end of the row
  /// (which would take the right part's unchanged text with it).
  @Test func blanksEndingTheLeftPartStopAtTheSplit() throws {
    for features in [TerminalFeatures.xterm256, .screen256] {
      var old = Buffer(width: 20, height: 2)
      old.write("abcdefgh", x: 0, y: 0, style: .plain)
      old.write("XYZ", x: 12, y: 0, style: .plain)
      old.write("kept", x: 12, y: 1, style: .plain)
      var new = Buffer(width: 20, height: 2)
      new.write("ab", x: 0, y: 0, style: .plain)
      new.write("XYZ", x: 12, y: 0, style: .plain)
      new.write("kept", x: 12, y: 1, style: .plain)
      old.columnSplit = 10
      new.columnSplit = 10
      let bytes = try Self.replayedChange(from: old, to: new, features)
      #expect(!String(decoding: bytes, as: UTF8.self).contains("\u{1B}[K"))
    }
  }

  /// A list beside a form, on other backgrounds, both changing on every row (a Down that scrolls
  /// the list and shows another entry's form): part by part, one change of colours a part instead
  /// of two a row — fewer bytes than row by row; without the split, as before.
  @Test func aListBesideAFormIsSentPartByPart() throws {
    func frame(_ first: Int) -> Buffer {
      var b = Buffer(width: 60, height: 12)
      for y in 0..<12 {
        b.write("Entry \(first + y)", x: 1, y: y, style: .plain)
        b.write("│", x: 20, y: y, style: .plain)
        b.write("value \(first * 7 + y)", x: 30, y: y, style: Style(bg: .ansi(8)))
      }
      return b
    }
    var old = frame(10)
    var new = frame(11)
    let byRows = try Self.replayedChange(from: old, to: new, .xterm256)
    old.columnSplit = 21
    new.columnSplit = 21
    let byParts = try Self.replayedChange(from: old, to: new, .xterm256)
    #expect(byParts.count < byRows.count - 50, "\(byParts.count) vs \(byRows.count)")
    // The form's background (ANSI 8 on xterm: SGR 100) is set once, not on every row.
    func count(_ bytes: [UInt8]) -> Int {
      let sgr = Array("100m".utf8)
      return bytes.indices.dropLast(sgr.count - 1).filter { Array(bytes[$0..<$0 + sgr.count]) == sgr }.count
    }
    #expect(count(byRows) == 12)
    #expect(count(byParts) == 1, "\(String(decoding: byParts, as: UTF8.self).debugDescription)")
  }

  @Test func coloursAreMappedToWhatTheTerminalHas() {
    func sgr(_ style: Style, _ colors: Int) -> String {
      var e = FrameEncoder(
        features: TerminalFeatures(
          colors: colors, eraseCharacters: true, absoluteColumnAndRow: true, clearToEndOfLine: true,
          pendingWrap: true), monochrome: false)
      var b = Buffer(width: 1, height: 1)
      b.set(Cell("x", style: style), x: 0, y: 0)
      var out: [UInt8] = []
      e.encode(b, since: nil, into: &out)
      let s = String(decoding: out, as: UTF8.self)
      return String(s[s.range(of: "\u{1B}[2J")!.upperBound...])
    }
    #expect(sgr(Style(fg: .indexed(208), bg: .ansi(9)), 256) == "\u{1B}[38;5;208;101mx")
    #expect(sgr(Style(fg: .indexed(208), bg: .ansi(9)), 16) == "\u{1B}[39;101mx")
    #expect(sgr(Style(fg: .indexed(208), bg: .ansi(9)), 8) == "\u{1B}[39;41mx")
    #expect(sgr(Style(fg: .indexed(3), .bold), 8) == "\u{1B}[1;33mx")
  }

  @Test func controlCharactersNeverReachTheTerminal() {
    var b = Buffer(width: 10, height: 1)
    b.set(Cell("\u{1B}", style: .plain), x: 0, y: 0)
    b.set(Cell("\u{9B}", style: .plain), x: 1, y: 0)
    var e = FrameEncoder(features: .xterm256, monochrome: false)
    var out: [UInt8] = []
    e.encode(b, since: nil, into: &out)
    let after = Array(out.drop { $0 != UInt8(ascii: "J") }.dropFirst())
    #expect(!after.contains(0x1B) || String(decoding: after, as: UTF8.self).hasPrefix("\u{1B}["))
    #expect(!String(decoding: out, as: UTF8.self).unicodeScalars.contains("\u{9B}"))
    #expect(String(decoding: out, as: UTF8.self).contains("??"))
  }
}
