/// A grid of cells that widgets draw into; a terminal shows it with `flush`.
///
/// Writing keeps wide characters whole: a wide grapheme that would straddle the clip edge is
/// drawn as a space, and overwriting one half of a wide grapheme blanks the other half.
public struct Buffer: Equatable, Sendable {
  public private(set) var width: Int
  public private(set) var height: Int
  public private(set) var cells: [Cell]
  /// Where the widget with the keyboard focus was drawn in this frame (clipped to the buffer), or
  /// nil when none was. A modal window clears it; its widgets (or the window itself) set it again.
  /// Tests check it after every key: the focus is always on something the user can see.
  public var focus: Rect?
  /// A column where the frame is two parts side by side, set by a screen that draws a list beside
  /// a form (a Down changes rows of both, in other colours): the encoder sends the changes of the
  /// left part and then those of the right part — one change of colours a part instead of two a
  /// row. Only the bytes differ; the screen shown is the same.
  public var columnSplit: Int?

  public init(width: Int, height: Int, fill: Cell = .blank) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = [Cell](repeating: fill, count: self.width * self.height)
  }

  public var area: Rect { Rect(width: width, height: height) }

  /// Copies `rect` of `source` to (x, y) here, clipped to this buffer. A wide grapheme cut by
  /// the rectangle's left or right edge becomes a space, and so does the half left of a wide
  /// grapheme of this buffer that the copy overwrites in part.
  public mutating func copy(_ rect: Rect, of source: Buffer, toX x: Int, y: Int) {
    let r = rect.intersection(source.area)
    // The columns of a row that land inside this buffer.
    let lo = max(r.x, r.x - (x + r.x - rect.x))
    let hi = min(r.maxX, width - (x - rect.x))
    guard lo < hi else { return }
    let w = width
    source.cells.withUnsafeBufferPointer { from in
      cells.withUnsafeMutableBufferPointer { to in
        for sy in r.y..<r.maxY {
          let ty = y + sy - rect.y
          guard ty >= 0, ty < height else { continue }
          let s = sy * source.width
          let t = ty * w + x - rect.x
          // The middle as it is; only the first and last cells can cut a wide grapheme.
          (to.baseAddress! + t + lo).update(from: from.baseAddress! + s + lo, count: hi - lo)
          let first = from[s + lo]
          // (a continuation first: its head is left of the rectangle, or of this buffer)
          if first.isContinuation { to[t + lo] = .space(first.style) }
          let last = from[s + hi - 1]
          if last.width == 2 && (hi == r.maxX || t + hi == ty * w + w) { to[t + hi - 1] = .space(last.style) }
          Self.mendEnds(to, row: ty * w, width: w, from: t + lo, to: t + hi)
        }
      }
    }
  }

  /// After the cells `from..<to` of the row starting at `row` were overwritten with whole
  /// graphemes: a wide grapheme of the buffer that had one half overwritten loses the other half
  /// too (as `set` does) — the head left of the run, the continuation right of it.
  private static func mendEnds(
    _ cells: UnsafeMutableBufferPointer<Cell>, row: Int, width: Int, from a: Int, to b: Int
  ) {
    if a > row && cells[a - 1].width == 2 && !cells[a].isContinuation { cells[a - 1] = .space(cells[a - 1].style) }
    if b < row + width && cells[b].isContinuation && cells[b - 1].width != 2 { cells[b] = .space(cells[b].style) }
  }

  /// Records that the focused widget was drawn in `r` (see `focus`).
  public mutating func markFocus(_ r: Rect) { focus = r.intersection(area) }

  public subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
  }

  /// Sets one cell, keeping wide graphemes whole. Cells outside the buffer are ignored.
  public mutating func set(_ cell: Cell, x: Int, y: Int) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let i = y * width + x
    let old = cells[i]
    if old.isContinuation && x > 0 && cells[i - 1].width == 2 {
      cells[i - 1] = .space(cells[i - 1].style)
    }
    if old.width == 2 && x + 1 < width && cells[i + 1].isContinuation && cell.width != 2 {
      cells[i + 1] = .space(cells[i + 1].style)
    }
    if cell.width == 2 {
      guard x + 1 < width else {
        cells[i] = .space(cell.style)
        return
      }
      if cells[i + 1].width == 2 && x + 2 < width && cells[i + 2].isContinuation {
        cells[i + 2] = .space(cells[i + 2].style)
      }
      cells[i] = cell
      cells[i + 1] = .continuation(cell.style)
    } else {
      cells[i] = cell
    }
  }

  /// Printable ASCII (most text) written as a run: a byte is a cell, no grapheme walk, and only
  /// the two ends of the run can cut a wide character in half (as `set` would do cell by cell).
  /// Nil, and nothing written, when the text is not all printable ASCII.
  private mutating func writeASCII(_ bytes: UnsafeBufferPointer<UInt8>, x: Int, y: Int, style: Style, clip c: Rect)
    -> Int?
  {
    for b in bytes where b < 0x20 || b >= 0x7F { return nil }
    let from = max(x, c.x)
    let to = min(x + bytes.count, c.maxX)
    guard from < to else { return min(x + bytes.count, max(x, c.maxX)) }
    set(Cell(code: UInt32(bytes[from - x]), width: 1, style: style), x: from, y: y)
    if to - 1 > from { set(Cell(code: UInt32(bytes[to - 1 - x]), width: 1, style: style), x: to - 1, y: y) }
    if to - from > 2 {
      let row = y * width
      cells.withUnsafeMutableBufferPointer { cells in
        for col in (from + 1)..<(to - 1) {
          cells[row + col] = Cell(code: UInt32(bytes[col - x]), width: 1, style: style)
        }
      }
    }
    return to
  }

  /// Text in which every scalar is a grapheme of one or two columns (CJK, symbols, box drawing),
  /// written as a run straight into the row: the run covers the columns from its first cell to
  /// its last, so only its two ends can cut a wide character in half (as `set` would do cell by
  /// cell). A wide character cut by the clip's edge is drawn as a space.
  private mutating func writeSimple(_ text: String, x: Int, y: Int, style: Style, clip c: Rect) -> Int {
    let row = y * width
    let space = Cell.space(style)
    var col = x
    // The first column written and the one after the last (nothing written while equal).
    var start = -1
    var end = -1
    cells.withUnsafeMutableBufferPointer { cells in
      func put(_ cell: Cell, at column: Int) {
        if start < 0 { start = column }
        cells[row + column] = cell
        end = column + 1
      }
      for u in text.unicodeScalars {
        let v = u.value
        let w = v < 0x80 ? 1 : DisplayWidth.simpleWidth(scalar: v)!
        if col + w > c.maxX {
          // A wide grapheme that would straddle the edge: a space instead.
          if col < c.maxX && col >= c.x { put(space, at: col) }
          col = c.maxX
          break
        }
        if col >= c.x {
          put(Cell(code: v, width: UInt8(w), style: style), at: col)
          if w == 2 { put(.continuation(style), at: col + 1) }
        } else if col + w > c.x {
          // Starts left of the clip and ends inside it: the visible half becomes a space.
          put(space, at: c.x)
        }
        col += w
      }
      if start >= 0 { Self.mendEnds(cells, row: row, width: width, from: row + start, to: row + end) }
    }
    return col
  }

  /// Writes text from (x, y), clipped to `clip` (and the buffer). Returns the column after the
  /// last one written.
  @discardableResult
  public mutating func write(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
    let c = (clip ?? area).intersection(area)
    guard y >= c.y, y < c.maxY else { return x }
    var col = x
    var ascii = text
    if let end = ascii.withUTF8({ writeASCII($0, x: x, y: y, style: style, clip: c) }) { return end }
    if DisplayWidth.simpleTextWidth(text) != nil { return writeSimple(text, x: x, y: y, style: style, clip: c) }
    for ch in text {
      if col >= c.maxX { break }
      if ch.isASCII, let v = ch.asciiValue, v >= 0x20, v != 0x7F {
        if col >= c.x { set(Cell(code: UInt32(v), width: 1, style: style), x: col, y: y) }
        col += 1
        continue
      }
      if let w = DisplayWidth.simpleWidth(ch) {
        if col + w > c.maxX {
          // A wide grapheme that would straddle the edge: a space instead.
          if col >= c.x { set(.space(style), x: col, y: y) }
          col = c.maxX
          break
        }
        if col >= c.x {
          set(Cell(code: ch.unicodeScalars.first!.value, width: UInt8(w), style: style), x: col, y: y)
        } else if col + w > c.x {
          set(.space(style), x: c.x, y: y)
        }
        col += w
        continue
      }
      var stop = false
      DisplayWidth.forEachUnit(of: ch) { unit in
        if stop { return }
        if col + unit.width > c.maxX {
          // A wide grapheme that would straddle the edge: a space instead.
          if col < c.maxX && col >= c.x { set(.space(style), x: col, y: y) }
          col = c.maxX
          stop = true
          return
        }
        if col >= c.x {
          set(Cell(unit.text, width: UInt8(unit.width), style: style), x: col, y: y)
        } else if col + unit.width > c.x {
          // Starts left of the clip and ends inside it: the visible half becomes a space.
          set(.space(style), x: c.x, y: y)
        }
        col += unit.width
      }
      if stop { break }
    }
    return col
  }

  /// Fills a rectangle with one cell (clipped).
  public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    guard cell.width == 1 else {
      for y in r.y..<r.maxY {
        for x in r.x..<r.maxX { set(cell, x: x, y: y) }
      }
      return
    }
    // One-column cells: only the two edges of each row can cut a wide character in half.
    for y in r.y..<r.maxY {
      set(cell, x: r.x, y: y)
      if r.width > 1 { set(cell, x: r.maxX - 1, y: y) }
      let row = y * width
      if r.width > 2 {
        cells.withUnsafeMutableBufferPointer { cells in
          (cells.baseAddress! + row + r.x + 1).update(repeating: cell, count: r.width - 2)
        }
      }
    }
  }

  /// Changes the style of every cell in a rectangle (clipped).
  public mutating func restyle(_ rect: Rect, _ body: (inout Style) -> Void) {
    let r = rect.intersection(area)
    guard !r.isEmpty else { return }
    for y in r.y..<r.maxY {
      for x in r.x..<r.maxX { body(&cells[y * width + x].style) }
    }
  }

  /// Dims everything: what a floating window does to the screen below it.
  public mutating func dim(_ theme: Theme) {
    restyle(area) { s in
      s.attributes.formUnion(theme.dimAttributes)
      s.attributes.remove(.bold)
      if let fg = theme.dimForeground {
        s.fg = fg
        if s.bg != .default { s.bg = .default }
        s.attributes.remove(.reverse)
      }
    }
  }

  // MARK: Text

  /// The text of one row (continuation cells add nothing; trailing spaces kept).
  public func line(_ y: Int) -> String {
    var s = ""
    s.reserveCapacity(width)
    for x in 0..<width {
      let c = cells[y * width + x]
      if !c.isContinuation { s += c.text }
    }
    return s
  }

  /// All rows, trailing spaces removed.
  public var textLines: [String] {
    (0..<height).map { y in
      var l = line(y)
      while l.hasSuffix(" ") { l.removeLast() }
      return l
    }
  }

  /// The text grid and an attribute layer: every distinct style gets a letter (legend first),
  /// then each row gives the letter of each column. This is the snapshot format.
  public var snapshot: String {
    var legend: [Style: Character] = [:]
    var order: [Style] = []
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
    var rows: [String] = []
    for y in 0..<height {
      var row = ""
      for x in 0..<width {
        let s = cells[y * width + x].style
        if legend[s] == nil {
          legend[s] = order.count < letters.count ? letters[order.count] : "?"
          order.append(s)
        }
        row.append(legend[s]!)
      }
      rows.append(row)
    }
    var out = "size \(width)x\(height)\n"
    out += textLines.map { "|" + $0 }.joined(separator: "\n")
    out += "\n--- attributes\n"
    out += order.map { "\(legend[$0]!) = \($0)" }.joined(separator: "\n")
    out += "\n" + rows.joined(separator: "\n") + "\n"
    return out
  }

  /// Positions that differ from another buffer of the same size (all when sizes differ).
  public func changedCells(since old: Buffer?) -> [Int] {
    guard let old, old.width == width, old.height == height else { return Array(cells.indices) }
    var out: [Int] = []
    for i in cells.indices where cells[i] != old.cells[i] { out.append(i) }
    return out
  }
}
