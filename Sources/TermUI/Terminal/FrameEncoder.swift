/// What the terminal can do, as far as the encoder cares (the ncurses backend reads it from
/// terminfo). Every sequence the encoder writes is ECMA-48 (CSI …), which every terminal Dramatis
/// supports speaks; a capability that is missing is simply not used.
public struct TerminalFeatures: Sendable, Equatable {
  /// 0 (none), 8, 16 or 256.
  public var colors: Int
  /// ECH, `CSI n X`: erase n cells without moving.
  public var eraseCharacters: Bool
  /// HPA, `CSI n G`, and VPA, `CSI n d`.
  public var absoluteColumnAndRow: Bool
  /// EL, `CSI K`: clear to the end of the line.
  public var clearToEndOfLine: Bool
  /// The terminal waits before wrapping after the last column (terminfo `xenl`): the bottom-right
  /// cell can be written without scrolling.
  public var pendingWrap: Bool
  /// Erasing (ECH, EL) fills with the current background colour (terminfo `bce`): blanks on a
  /// coloured background can be erased too, not only blanks in the default colours.
  public var backgroundColorErase: Bool
  /// A line feed moves the cursor one row down and keeps its column (terminfo `cud1` is `^J`, and
  /// the tty does not turn it into CR LF: curses' `nonl`). One byte instead of `CSI B`; never
  /// written on the last row, where it would scroll.
  public var lineFeedMovesDown: Bool
  /// A tab (HT, one byte) moves the cursor to the next column that is a multiple of 8, without
  /// touching the cells it passes: terminfo `it#8` with `ht` = ^I, tab stops that can be set
  /// (`tbc`, `hts`) and a tty that does not expand tabs into spaces — what ncurses requires
  /// before it moves with tabs (and, as in ncurses, `NCURSES_NO_HARD_TABS` turns it off).
  public var hardTabs: Bool

  public init(
    colors: Int, eraseCharacters: Bool, absoluteColumnAndRow: Bool, clearToEndOfLine: Bool, pendingWrap: Bool,
    backgroundColorErase: Bool = false, lineFeedMovesDown: Bool = false, hardTabs: Bool = false
  ) {
    self.colors = colors
    self.eraseCharacters = eraseCharacters
    self.absoluteColumnAndRow = absoluteColumnAndRow
    self.clearToEndOfLine = clearToEndOfLine
    self.pendingWrap = pendingWrap
    self.backgroundColorErase = backgroundColorErase
    self.lineFeedMovesDown = lineFeedMovesDown
    self.hardTabs = hardTabs
  }

  /// xterm-256color (its `cud1` is `^J`; the app's tty is in `nonl` mode; tabs every 8).
  public static let xterm256 = TerminalFeatures(
    colors: 256, eraseCharacters: true, absoluteColumnAndRow: true, clearToEndOfLine: true, pendingWrap: true,
    backgroundColorErase: true, lineFeedMovesDown: true, hardTabs: true)
  /// screen-256color, tmux-256color: as xterm-256color without `bce`.
  public static let screen256 = TerminalFeatures(
    colors: 256, eraseCharacters: true, absoluteColumnAndRow: true, clearToEndOfLine: true, pendingWrap: true,
    lineFeedMovesDown: true, hardTabs: true)
  /// vt100: no colour, no ECH/HPA/VPA, no line feed or tab as a move.
  public static let vt100 = TerminalFeatures(
    colors: 0, eraseCharacters: false, absoluteColumnAndRow: false, clearToEndOfLine: true, pendingWrap: true)
}

/// Turns the difference between two frames into the bytes a terminal needs — few of them, in one
/// piece (over ssh every byte and every packet counts).
///
/// - Only cells that changed are written; a gap of up to four unchanged cells in the same style is
///   written over rather than jumped (cheaper than a cursor move).
/// - The shortest cursor move of CUP, CUF/CUB, BS, CR, HPA/VPA, LF and HT from the known position.
/// - SGR is changed only when the style changes, by the parameters that differ (a reset only when
///   an attribute must go away).
/// - A row that ends in blanks gets EL; a run of six or more blanks gets ECH — blanks in the
///   default colours, and on a terminal with `bce` also blanks on a background colour (without
///   reverse or underline, which show on a blank): no terminal fills with a colour of its own
///   choosing.
/// - After a character whose width the terminal may count differently (several scalars, e.g. an
///   emoji with VS16), and after the last column, the position is taken as unknown and the next
///   write starts with an absolute move.
/// - A full frame (the first, or after a resize) is a reset, a clear, and the cells that are not
///   blank.
///
/// The text of a cell never holds control characters (the buffer escapes them); as a second line
/// of defence any C0/C1 control that reaches the encoder is written as `?`.
public struct FrameEncoder: Sendable {
  public var features: TerminalFeatures
  public var monochrome: Bool
  /// The cursor position the terminal is known to have (nil: unknown).
  private var cursor: (row: Int, col: Int)?
  /// The SGR state the terminal is known to have (nil: unknown).
  private var current: Style?

  public init(features: TerminalFeatures, monochrome: Bool) {
    self.features = features
    self.monochrome = monochrome || features.colors == 0
  }

  /// Forgets what the terminal shows (after another program or curses wrote to it).
  public mutating func invalidate() {
    cursor = nil
    current = nil
  }

  /// The bytes that turn a screen showing `old` into `new`; with `old` nil (or of another size),
  /// the bytes that paint `new` on a screen in any state.
  public mutating func encode(_ new: Buffer, since old: Buffer?, into out: inout [UInt8]) {
    let w = new.width
    let h = new.height
    guard w > 0, h > 0 else { return }
    let full = old == nil || old!.width != w || old!.height != h
    if full {
      setStyle(.plain, &out)
      append("\u{1B}[H\u{1B}[2J", &out)
      cursor = (0, 0)
    }
    new.cells.withUnsafeBufferPointer { cells in
      (full ? new.cells : old!.cells).withUnsafeBufferPointer { before in
        guard !full, let split = new.columnSplit, split > 0, split < w else {
          encodeRows(new, cells, before, full: full, columns: 0..<w, &out)
          return
        }
        // Two parts side by side: the left part's changes, then the right part's (see
        // `Buffer.columnSplit`).
        encodeRows(new, cells, before, full: false, columns: 0..<split, &out)
        encodeRows(new, cells, before, full: false, columns: split..<w, &out)
      }
    }
  }

  /// Writes the changes of the cells in `columns` of every row, row by row.
  private mutating func encodeRows(
    _ new: Buffer, _ cells: UnsafeBufferPointer<Cell>, _ before: UnsafeBufferPointer<Cell>, full: Bool,
    columns: Range<Int>, _ out: inout [UInt8]
  ) {
    let w = new.width
    let h = new.height
    let end = columns.upperBound
    for y in 0..<h {
      let row = y * w
      var x = columns.lowerBound
      while x < end {
        if !full {
          // Most rows, and most cells of a changed row, are as they were: on to the next cell
          // whose bytes differ (an unchanged row is one scan).
          x = Self.firstDifferent(cells, before, from: row + x, to: row + end) - row
          if x >= end { break }
        }
        let i = row + x
        let cell = cells[i]
        let changed = full ? cell != .blank : cell != before[i]
        if !changed {
          x += 1
          continue
        }
        if cell.isContinuation {
          // Its wide character did not change, but what stood here did: write the character again.
          if x > 0 && cells[i - 1].width == 2 { put(cells[i - 1], row: y, col: x - 1, new, &out) }
          x += 1
          continue
        }
        if let bg = erasedBackground(cell) {
          let run = blankRun(cells, from: i, rowEnd: row + end, bg: bg)
          // Of the blanks, those up to the last one that changed (the rest already shows blank).
          var changedRun = run
          if !full {
            while changedRun > 1 && cells[i + changedRun - 1] == before[i + changedRun - 1] { changedRun -= 1 }
          }
          // EL (3 bytes) or ECH (4–5) only where they are shorter than writing the spaces.
          if run == w - x && features.clearToEndOfLine && (full || changedRun >= 3) {
            // The rest of the row is blank.
            if !full || bg != .default {
              move(row: y, col: x, new, &out)
              setStyle(erasing(cell.style), &out)
              append("\u{1B}[K", &out)
            }
            break
          }
          let erase = full ? run : changedRun
          if erase >= (full ? 6 : 5) && features.eraseCharacters && (!full || bg != .default) {
            move(row: y, col: x, new, &out)
            setStyle(erasing(cell.style), &out)
            out.append(0x1B)
            out.append(0x5B)
            Self.appendNumber(erase, &out)
            out.append(0x58)  // ECH
            x += erase
            continue
          }
        }
        // The bottom-right cell scrolls a terminal that wraps at once: leave it.
        if y == h - 1 && x + Int(cell.width) >= w && !features.pendingWrap { break }
        // Most changed cells are printable ASCII right after the last one, in its style: the
        // byte alone (what `put` writes then, without its moves and style checks).
        if cell.width == 1 && cell.code >= 0x20 && cell.code < 0x7F, let c = cursor, c.row == y, c.col == x,
          let style = current, style == normalized(cell.style)
        {
          out.append(UInt8(truncatingIfNeeded: cell.code))
          cursor = x + 1 < w ? (y, x + 1) : nil
          x += 1
          continue
        }
        put(cell, row: y, col: x, new, &out)
        x += max(1, Int(cell.width))
      }
    }
  }

  /// The first cell from `start` (before `end`) whose bytes differ in the two frames; `end` when
  /// there is none. Cells with the same bytes are equal; a cell found here may still be equal
  /// (padding), which the caller's comparison tells.
  static func firstDifferent(
    _ a: UnsafeBufferPointer<Cell>, _ b: UnsafeBufferPointer<Cell>, from start: Int, to end: Int
  )
    -> Int
  {
    let pa = UnsafeRawBufferPointer(a)
    let pb = UnsafeRawBufferPointer(b)
    let stride = MemoryLayout<Cell>.stride
    var k = start * stride
    let n = end * stride
    while k + 8 <= n {
      if pa.loadUnaligned(fromByteOffset: k, as: UInt64.self) != pb.loadUnaligned(fromByteOffset: k, as: UInt64.self) {
        break
      }
      k += 8
    }
    while k < n {
      if pa[k] != pb[k] { return k / stride }
      k += 1
    }
    return end
  }

  // MARK: Cells

  /// The background an erase gives this cell when it is a blank an erase can make, else nil.
  private func erasedBackground(_ c: Cell) -> Color? {
    guard c.width == 1 && c.code == 0x20 else { return nil }
    let s = normalized(c.style)
    if s == .plain { return .default }
    guard features.backgroundColorErase, s.attributes.intersection([.reverse, .underline]).isEmpty else { return nil }
    return s.bg
  }

  private func blankRun(_ cells: UnsafeBufferPointer<Cell>, from i: Int, rowEnd: Int, bg: Color) -> Int {
    var k = i
    while k < rowEnd && erasedBackground(cells[k]) == bg { k += 1 }
    return k - i
  }

  /// The style to erase with: the background alone (plain for the default colours).
  private func erasing(_ s: Style) -> Style {
    let bg = normalized(s).bg
    return bg == .default
      ? .plain
      : Style(fg: current?.fg ?? .default, bg: s.bg, current?.attributes.subtracting([.reverse, .underline]) ?? [])
  }

  private mutating func put(_ cell: Cell, row: Int, col: Int, _ frame: Buffer, _ out: inout [UInt8]) {
    move(row: row, col: col, frame, &out)
    setStyle(cell.style, &out)
    var simple = true
    if let u = cell.scalar {
      appendSafe(u, &out)
    } else {
      var scalars = 0
      for u in cell.text.unicodeScalars {
        scalars += 1
        appendSafe(u, &out)
        if u.value >= 0x80 && scalars > 1 { simple = false }
      }
      if scalars == 0 { out.append(0x20) }
    }
    let next = col + max(1, Int(cell.width))
    // Past the last column (a pending wrap) or after a character whose width terminals disagree
    // on, the position is not known for sure.
    cursor = simple && next < frame.width ? (row, next) : nil
  }

  // MARK: Cursor

  /// A cursor move: up to four parts in this order — a line feed (one row down, same column), a
  /// carriage return, tabs, then a CSI sequence (its final byte and up to two numbers,
  /// `CSI a ; b final`) or a one-byte control (BS, CR). Measured and written without building a
  /// string.
  private struct Move {
    /// 0: no CSI sequence or control at the end.
    var final: UInt8
    var a: Int? = nil
    var b: Int? = nil
    /// A bare control byte instead of a CSI sequence.
    var control = false
    var lineFeed = false
    var carriageReturn = false
    var tabs = 0

    var length: Int {
      (lineFeed ? 1 : 0) + (carriageReturn ? 1 : 0) + tabs
        + (final == 0
          ? 0
          : control ? 1 : 3 + (a.map(FrameEncoder.digits) ?? 0) + (b.map { 1 + FrameEncoder.digits($0) } ?? 0))
    }

    func write(_ out: inout [UInt8]) {
      if lineFeed { out.append(0x0A) }
      if carriageReturn { out.append(0x0D) }
      for _ in 0..<tabs { out.append(0x09) }
      if final == 0 { return }
      if control {
        out.append(final)
        return
      }
      out.append(0x1B)
      out.append(0x5B)
      if let a { FrameEncoder.appendNumber(a, &out) }
      if let b {
        out.append(0x3B)
        FrameEncoder.appendNumber(b, &out)
      }
      out.append(final)
    }
  }

  private mutating func move(row: Int, col: Int, _ frame: Buffer, _ out: inout [UInt8]) {
    if let c = cursor, c.row == row, c.col == col { return }
    // CUP; a shorter move from the known position replaces it (the first of equal lengths stays).
    var best = col == 0 ? Move(final: 0x48, a: row + 1) : Move(final: 0x48, a: row + 1, b: col + 1)
    var bestLength = best.length
    func consider(_ m: Move) {
      let n = m.length
      if n < bestLength {
        best = m
        bestLength = n
      }
    }
    if let c = cursor {
      if c.row == row {
        // Writing over a few unchanged cells is cheaper than a move.
        if col > c.col && col - c.col <= 4 && bridge(row: row, from: c.col, to: col, frame, &out) { return }
        consider(horizontal(from: c.col, to: col))
      } else if c.col == col {
        let down = row - c.row
        if down > 0 { consider(down == 1 ? Move(final: 0x42) : Move(final: 0x42, a: down)) }  // CUD
        if down < 0 { consider(-down == 1 ? Move(final: 0x41) : Move(final: 0x41, a: -down)) }  // CUU
        if features.absoluteColumnAndRow { consider(Move(final: 0x64, a: row + 1)) }  // VPA
      }
      // The next row: a line feed (never from the last row), then along the row if needed.
      if features.lineFeedMovesDown && row == c.row + 1 && row < frame.height {
        if col == c.col {
          consider(Move(final: 0x0A, control: true))
        } else {
          var along = horizontal(from: c.col, to: col)
          along.lineFeed = true
          consider(along)
        }
      }
    }
    best.write(&out)
    cursor = (row, col)
  }

  /// The shortest move along a row from column `from` to `to` (they differ): CUF, BS/CUB, CR,
  /// HPA, or tabs (from here, or after a CR) and a CUF for the rest; the first of equal lengths.
  private func horizontal(from: Int, to col: Int) -> Move {
    var best: Move
    if col > from {
      best = Self.forward(col - from)
    } else {
      let back = from - col
      best = back == 1 ? Move(final: 0x08, control: true) : Move(final: 0x44, a: back)  // BS, CUB
      if col == 0 && 1 < best.length { best = Move(final: 0x0D, control: true) }  // CR
    }
    if features.absoluteColumnAndRow {
      let hpa = Move(final: 0x47, a: col + 1)  // HPA
      if hpa.length < best.length { best = hpa }
    }
    if features.hardTabs && col >= 8 {
      // Tab stops are every 8 columns: to the last one at or before `col`, then the rest.
      let stop = col / 8 * 8
      let tabs = col / 8 - (col > from ? from / 8 : 0)
      if tabs > 0 {
        var m = col == stop ? Move(final: 0) : Self.forward(col - stop)
        m.tabs = tabs
        m.carriageReturn = col < from
        if m.length < best.length { best = m }
      }
    }
    return best
  }

  /// CUF by `gap` ≥ 1 columns.
  private static func forward(_ gap: Int) -> Move {
    gap == 1 ? Move(final: 0x43) : Move(final: 0x43, a: gap)
  }

  /// The decimal digits of a number ≥ 0.
  static func digits(_ n: Int) -> Int {
    var d = 1
    var v = n
    while v >= 10 {
      v /= 10
      d += 1
    }
    return d
  }

  /// A number ≥ 0 in decimal.
  static func appendNumber(_ n: Int, _ out: inout [UInt8]) {
    // Rows, columns, counts and colours: at most three digits but on the largest terminals.
    if n < 10 {
      out.append(0x30 + UInt8(n))
    } else if n < 100 {
      out.append(0x30 + UInt8(n / 10))
      out.append(0x30 + UInt8(n % 10))
    } else if n < 1000 {
      out.append(0x30 + UInt8(n / 100))
      out.append(0x30 + UInt8(n / 10 % 10))
      out.append(0x30 + UInt8(n % 10))
    } else {
      out.append(contentsOf: String(n).utf8)
    }
  }

  /// Writes the unchanged cells between the cursor and `to` when they are plain one-column ASCII
  /// in the current style; false (nothing written) otherwise.
  private mutating func bridge(row: Int, from: Int, to: Int, _ frame: Buffer, _ out: inout [UInt8]) -> Bool {
    guard let style = current else { return false }
    let base = row * frame.width
    let cells = frame.cells
    for x in from..<to {
      let c = cells[base + x]
      guard c.width == 1, c.code >= 0x20, c.code < 0x7F, normalized(c.style) == style else { return false }
    }
    for x in from..<to { out.append(UInt8(cells[base + x].code)) }
    cursor = (row, to)
    return true
  }

  // MARK: Style

  private func normalized(_ s: Style) -> Style {
    monochrome ? Style(fg: .default, bg: .default, s.attributes) : s
  }

  private mutating func setStyle(_ style: Style, _ out: inout [UInt8]) {
    let s = normalized(style)
    if let c = current, c == s { return }
    // `CSI params m`, written in place: parameters separated by `;`, a lone reset as `CSI m`.
    let start = out.count
    out.append(0x1B)
    out.append(0x5B)
    var count = 0
    func separate() {
      if count > 0 { out.append(0x3B) }
      count += 1
    }
    var base = current ?? Style()
    var reset = false
    if current == nil || !s.attributes.isSuperset(of: base.attributes) {
      separate()
      out.append(0x30)
      reset = true
      base = .plain
    }
    let added = s.attributes.subtracting(base.attributes)
    for (attribute, parameter) in Self.attributeParameters where added.contains(attribute) {
      separate()
      out.append(parameter)
    }
    if s.fg != base.fg {
      separate()
      color(s.fg, foreground: true, &out)
    }
    if s.bg != base.bg {
      separate()
      color(s.bg, foreground: false, &out)
    }
    if count == 0 {
      out.removeSubrange(start...)
    } else {
      if count == 1 && reset { out.removeLast() }  // CSI m
      out.append(0x6D)
    }
    current = s
  }

  /// SGR's parameter (one digit) for each attribute, in the order they are written.
  static let attributeParameters: [(Attributes, UInt8)] = [
    (.bold, 0x31), (.dim, 0x32), (.underline, 0x34), (.reverse, 0x37),
  ]

  private func color(_ c: Color, foreground: Bool, _ out: inout [UInt8]) {
    let base = foreground ? 30 : 40
    switch c {
    case .default: Self.appendNumber(base + 9, &out)
    case .ansi(let n): ansi(n, base, &out)
    case .indexed(let n) where n < 16: ansi(n, base, &out)
    case .indexed(let n):
      if features.colors >= 256 {
        Self.appendNumber(base + 8, &out)
        out.append(contentsOf: [0x3B, 0x35, 0x3B])  // ;5;
        Self.appendNumber(Int(n), &out)
      } else {
        Self.appendNumber(base + 9, &out)
      }
    }
  }

  /// One of the 16 colours; the bright ones as their normal colour on an 8-colour terminal.
  private func ansi(_ n: UInt8, _ base: Int, _ out: inout [UInt8]) {
    if n < 8 {
      Self.appendNumber(base + Int(n), &out)
    } else {
      Self.appendNumber(features.colors >= 16 ? base + 60 + Int(n) - 8 : base + Int(n) - 8, &out)
    }
  }

  // MARK: Bytes

  private func append(_ s: String, _ out: inout [UInt8]) { out.append(contentsOf: s.utf8) }

  /// A scalar of a cell; a control character (never in a buffer, which escapes them) as `?`.
  private func appendSafe(_ u: Unicode.Scalar, _ out: inout [UInt8]) {
    let v = u.value
    if v < 0x20 || (v >= 0x7F && v <= 0x9F) {
      out.append(UInt8(ascii: "?"))
    } else {
      appendScalar(u, &out)
    }
  }

  private func appendScalar(_ u: Unicode.Scalar, _ out: inout [UInt8]) {
    let v = u.value
    if v < 0x80 {
      out.append(UInt8(v))
    } else if v < 0x800 {
      out.append(UInt8(0xC0 | (v >> 6)))
      out.append(UInt8(0x80 | (v & 0x3F)))
    } else if v < 0x10000 {
      out.append(UInt8(0xE0 | (v >> 12)))
      out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (v & 0x3F)))
    } else {
      out.append(UInt8(0xF0 | (v >> 18)))
      out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
      out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
      out.append(UInt8(0x80 | (v & 0x3F)))
    }
  }
}
