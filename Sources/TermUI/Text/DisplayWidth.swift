/// How text occupies terminal columns, by the rules terminals use:
/// - East Asian Wide and Fullwidth characters take 2 columns;
/// - emoji with emoji presentation (🤖), and any character followed by VS16 (⌨️), take 2;
///   a ZWJ sequence (👩‍💻) is one character of 2 columns;
/// - combining marks and zero-width joiners take 0 (they stay with their base character);
/// - control characters and escape sequences are never drawn raw: C0 controls show in caret
///   notation (`^[`, `^G`), DEL as `^?`, C1 controls and bidi controls as U+FFFD.
public enum DisplayWidth {
  /// One unit to draw: a grapheme (or part of an escape) and its width, 1 or 2.
  public struct Unit: Equatable, Sendable {
    public var text: String
    public var width: Int
  }

  /// The columns `text` takes when drawn.
  public static func of(_ text: String) -> Int {
    if let n = printableASCIICount(text) { return n }
    if let n = simpleTextWidth(text) { return n }
    var total = 0
    for c in text { total += width(of: c) }
    return total
  }

  /// The length of a text that is printable ASCII only (one column a byte), else nil: most text
  /// is, and this is a byte loop instead of a walk over graphemes.
  @inline(__always)
  static func printableASCIICount(_ text: String) -> Int? {
    var n = 0
    for b in text.utf8 {
      guard b >= 0x20 && b < 0x7F else { return nil }
      n += 1
    }
    return n
  }

  /// The columns one character takes when drawn (escapes included).
  public static func width(of c: Character) -> Int {
    if c.isASCII {
      let v = c.asciiValue!
      return v < 0x20 || v == 0x7F ? (c == "\r\n" ? 4 : 2) : 1
    }
    if let w = simpleWidth(c) { return w }
    var w = 0
    forEachUnit(of: c) { w += $0.width }
    return w
  }

  /// The width of a character that is one scalar from a range with no controls, marks or format
  /// characters (Latin, Greek, Cyrillic, punctuation, symbols, box drawing, kana, CJK, Hangul,
  /// emoji): drawn as it is. Nil for anything else, which takes the full path. Box borders and
  /// CJK names are drawn every frame; this keeps them off Unicode property lookups.
  @inline(__always)
  public static func simpleWidth(_ c: Character) -> Int? {
    let scalars = c.unicodeScalars
    let first = scalars.first!
    guard scalars.index(after: scalars.startIndex) == scalars.endIndex else { return nil }
    return simpleWidth(scalar: first.value)
  }

  @inline(__always)
  static func simpleWidth(scalar v: UInt32) -> Int? {
    switch v {
    case 0xA0...0xAC, 0xAE...0x2FF, 0x370...0x482, 0x2010...0x2027, 0x2030...0x205F, 0x2070...0x20CF:
      return 1
    // Letterlike symbols, arrows, math; box drawing, blocks, shapes: no wide character there.
    case 0x2100...0x2319, 0x2500...0x25FC: return 1
    case 0x231A...0x24FF, 0x25FD...0x2BFF: return isEastAsianWide(v) ? 2 : 1
    case 0x3000...0x3029, 0x3030...0x303E, 0x3041...0x3098, 0x309B...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
      0xAC00...0xD7A3, 0xFF01...0xFF60, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F90C...0x1F9FF:
      return 2
    default: return nil
    }
  }

  /// The width of a text in which every scalar is printable ASCII or a simple character that
  /// never joins the one before it (so each scalar is a grapheme of its own); nil otherwise.
  /// Names and prompts in CJK take this path instead of a grapheme walk.
  @inline(__always)
  public static func simpleTextWidth(_ text: String) -> Int? {
    var total = 0
    for u in text.unicodeScalars {
      let v = u.value
      if v >= 0x20 && v < 0x7F {
        total += 1
      } else if !(0x1F3FB...0x1F3FF).contains(v), let w = simpleWidth(scalar: v) {  // skin tones join
        total += w
      } else {
        return nil
      }
    }
    return total
  }

  /// Calls `body` with the units that draw `c`.
  @inline(__always)
  public static func forEachUnit(of c: Character, _ body: (Unit) -> Void) {
    let scalars = c.unicodeScalars
    if scalars.contains(where: isControl) {
      for u in scalars {
        if u.value < 0x20 {
          body(Unit(text: "^", width: 1))
          body(Unit(text: String(Character(Unicode.Scalar(u.value + 0x40)!)), width: 1))
        } else if u.value == 0x7F {
          body(Unit(text: "^", width: 1))
          body(Unit(text: "?", width: 1))
        } else if isControl(u) {
          body(Unit(text: "\u{FFFD}", width: 1))
        } else {
          forEachUnit(of: Character(u), body)
        }
      }
      return
    }
    let first = scalars.first!
    let props = first.properties
    if props.generalCategory == .nonspacingMark || props.generalCategory == .enclosingMark
      || props.generalCategory == .spacingMark
    {
      // A mark with no base before it: shown on a dotted circle.
      body(Unit(text: "\u{25CC}" + String(c), width: 1))
      return
    }
    if props.generalCategory == .format || first.value == 0x200B {
      return  // zero-width on its own (ZWSP, ZWJ, word joiner…): nothing to draw
    }
    body(Unit(text: String(c), width: isWide(c) ? 2 : 1))
  }

  /// C0, DEL, C1, bidi embeddings/overrides/isolates/marks.
  @inline(__always)
  public static func isControl(_ u: Unicode.Scalar) -> Bool {
    let v = u.value
    if v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) { return true }
    return (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
      || v == 0x061C
  }

  static func isWide(_ c: Character) -> Bool {
    let scalars = c.unicodeScalars
    let first = scalars.first!
    if scalars.count > 1 && scalars.contains(where: { $0.value == 0xFE0F }) { return true }
    if first.properties.isEmojiPresentation { return true }
    if scalars.count > 1 && scalars.contains(where: { $0.value == 0x200D }) && first.properties.isEmoji {
      return true
    }
    return isEastAsianWide(first.value)
  }

  /// East Asian Wide (W) and Fullwidth (F) ranges of Unicode's EastAsianWidth.txt.
  static func isEastAsianWide(_ v: UInt32) -> Bool {
    if v < 0x1100 { return false }
    for r in wideRanges where r.contains(v) { return true }
    return false
  }

  static let wideRanges: [ClosedRange<UInt32>] = [
    0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
    0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
    0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
    0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
    0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
    0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55, 0x2E80...0x303E,
    0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
    0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4,
    0x17000...0x18AFF, 0x1B000...0x1B2FF, 0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E,
    0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B, 0x1F240...0x1F248, 0x1F250...0x1F251,
    0x1F260...0x1F265, 0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF,
    0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
  ]

  /// Breaks text into rows of at most `columns` display columns, at spaces where it can (a word
  /// longer than a row is cut inside it; wide characters are never split). An indent is kept on
  /// the first row; a space that would start a later row is dropped.
  public static func wrap(_ text: String, to columns: Int) -> [String] {
    guard columns > 0, of(text) > columns else { return [text] }
    var rows: [String] = []
    var row = ""
    var rowWidth = 0
    func newRow() {
      rows.append(row)
      row = ""
      rowWidth = 0
    }
    for (n, word) in text.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
      var w = word
      var ww = of(String(w))
      if n > 0 {
        // The space before this word: a new row when the word does not fit after it.
        if rowWidth > 0 && rowWidth + 1 + ww > columns {
          newRow()
        } else if rowWidth + 1 <= columns && (rowWidth > 0 || rows.isEmpty) {
          row += " "
          rowWidth += 1
        }
      }
      // A word longer than what is left of the row: as much as fits, the rest on the next rows.
      while ww > columns - rowWidth {
        var used = 0
        var cut = w.startIndex
        while cut < w.endIndex, used + width(of: w[cut]) <= columns - rowWidth {
          used += width(of: w[cut])
          cut = w.index(after: cut)
        }
        if cut == w.startIndex {
          if rowWidth == 0 { break }  // a character wider than a whole row: left to the clip
          newRow()
          continue
        }
        row += w[..<cut]
        newRow()
        w = w[cut...]
        ww -= used
      }
      row += w
      rowWidth += ww
    }
    if !row.isEmpty || rows.isEmpty { rows.append(row) }
    return rows
  }

  /// Cuts text to at most `columns`, adding `…` when something was cut.
  public static func truncate(_ text: String, to columns: Int) -> String {
    if let n = printableASCIICount(text) {
      if n <= columns { return text }
      return columns > 0 ? String(text.utf8.prefix(columns - 1))! + "…" : ""
    }
    if let n = simpleTextWidth(text) {
      if n <= columns { return text }
      guard columns > 0 else { return "" }
      var used = 0
      var out = String.UnicodeScalarView()
      for u in text.unicodeScalars {
        let w = u.value < 0x80 ? 1 : simpleWidth(scalar: u.value)!
        if used + w > columns - 1 { break }
        out.append(u)
        used += w
      }
      return String(out) + "…"
    }
    guard columns > 0 else { return of(text) == 0 ? text : "" }
    // One walk that stops once the text is known not to fit (prompts are long, rows are short).
    var used = 0
    var cut: String.Index?
    var index = text.startIndex
    while index < text.endIndex {
      let c = text[index]
      let w = width(of: c)
      if cut == nil && used + w > columns - 1 { cut = index }
      used += w
      if used > columns { return String(text[..<cut!]) + "…" }
      index = text.index(after: index)
    }
    return text
  }
}
