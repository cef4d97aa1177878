/// A one-line text field's state, owned by the app.
public struct TextFieldState: Equatable, Sendable {
  public private(set) var text: String
  /// The cursor, in characters (graphemes) from the start.
  public var cursor: Int
  /// The first visible display column (horizontal scroll).
  public var offset: Int = 0

  public init(_ text: String = "") {
    self.text = text
    cursor = text.count
  }

  public mutating func setText(_ t: String) {
    text = t
    cursor = t.count
    offset = 0
  }
}

/// A one-line text field: cursor by display column, horizontal scroll, Home/End, word moves
/// (Ctrl-Left/Right, Alt-b/Alt-f), Backspace/Delete, Ctrl-U (clear), Ctrl-W (delete word), paste.
public enum TextField {
  public static let keyMap = KeyMap(
    title: "Text field",
    bindings: [
      KeyBinding(["Left", "Right"], "move the cursor"),
      KeyBinding(["Home", "End"], "start / end of the text"),
      KeyBinding(["C-Left", "C-Right", "M-b", "M-f"], "previous / next word"),
      KeyBinding(["BSpace", "Delete"], "delete before / at the cursor"),
      KeyBinding(["C-w", "C-u"], "delete the word before the cursor / the whole text"),
    ])

  /// Handles a key; returns true when the field used it (text changed or cursor moved).
  public static func handle(_ key: Key, state: inout TextFieldState) -> Bool {
    var chars = Array(state.text)
    var cursor = min(max(0, state.cursor), chars.count)
    switch key {
    case .char(let c) where !c.isNewline:
      chars.insert(c, at: cursor)
      cursor += 1
    case .paste(let text):
      let clean = text.map { $0.isNewline ? " " : $0 }
      chars.insert(contentsOf: clean, at: cursor)
      cursor += clean.count
    case .left: cursor = max(0, cursor - 1)
    case .right: cursor = min(chars.count, cursor + 1)
    case .home, .ctrl("a"): cursor = 0
    case .end: cursor = chars.count
    case .ctrlLeft, .alt("b"): cursor = wordStart(chars, before: cursor)
    case .ctrlRight, .alt("f"): cursor = wordEnd(chars, after: cursor)
    case .backspace:
      guard cursor > 0 else { return true }
      chars.remove(at: cursor - 1)
      cursor -= 1
    case .delete:
      guard cursor < chars.count else { return true }
      chars.remove(at: cursor)
    case .ctrl("w"):
      let start = wordStart(chars, before: cursor)
      chars.removeSubrange(start..<cursor)
      cursor = start
    case .ctrl("u"):
      chars = []
      cursor = 0
    default:
      return false
    }
    state = TextFieldState(String(chars))
    state.cursor = cursor
    return true
  }

  static func wordStart(_ chars: [Character], before i: Int) -> Int {
    var j = i
    while j > 0 && !isWord(chars[j - 1]) { j -= 1 }
    while j > 0 && isWord(chars[j - 1]) { j -= 1 }
    return j
  }

  static func wordEnd(_ chars: [Character], after i: Int) -> Int {
    var j = i
    while j < chars.count && !isWord(chars[j]) { j += 1 }
    while j < chars.count && isWord(chars[j]) { j += 1 }
    return j
  }

  static func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

  /// Draws the field on one row; the visible part follows the cursor.
  public static func render(
    state: inout TextFieldState, into buffer: inout Buffer, area: Rect, theme: Theme, focused: Bool,
    placeholder: String = "", style: Style? = nil
  ) {
    guard area.width > 0, area.height > 0 else { return }
    let row = area.row(0)
    if focused { buffer.markFocus(row) }
    let base = style ?? (focused ? theme.fieldFocused : theme.field)
    buffer.fill(row, with: Cell(" ", style: base))
    if !focused {
      // Without the focus the field shows how its text begins (no cursor: no grapheme walk).
      state.offset = 0
      if state.text.isEmpty && !placeholder.isEmpty {
        Label.draw(placeholder, into: &buffer, area: row, style: base.adding(.dim))
      } else {
        buffer.write(state.text, x: row.x, y: row.y, style: base, clip: row)
      }
      return
    }
    let chars = Array(state.text)
    let cursor = min(max(0, state.cursor), chars.count)
    let cursorColumn = DisplayWidth.of(String(chars[..<cursor]))
    let room = max(1, row.width - 1)  // keep a column for the cursor at the end
    if !focused {
      // Without the focus the field shows how its text begins.
      state.offset = 0
    } else {
      if cursorColumn < state.offset { state.offset = cursorColumn }
      if cursorColumn >= state.offset + room { state.offset = cursorColumn - room + 1 }
    }
    // Never scrolled further than needed: when the field grows, the text slides back into view.
    let total = DisplayWidth.of(state.text)
    state.offset = max(0, min(state.offset, total + 1 - room))
    if chars.isEmpty && !placeholder.isEmpty && !focused {
      Label.draw(placeholder, into: &buffer, area: row, style: base.adding(.dim))
      return
    }
    buffer.write(state.text, x: row.x - state.offset, y: row.y, style: base, clip: row)
    if focused {
      let x = row.x + cursorColumn - state.offset
      let under = cursor < chars.count ? String(chars[cursor]) : " "
      let w = cursor < chars.count ? DisplayWidth.width(of: chars[cursor]) : 1
      if w == 2 && x + 1 < row.maxX {
        buffer.write(under, x: x, y: row.y, style: theme.cursor, clip: row)
      } else if w >= 1 {
        buffer.write(w == 1 ? under : " ", x: x, y: row.y, style: theme.cursor, clip: row)
      }
    }
  }
}

/// A multi-line field's state.
public struct TextAreaState: Equatable, Sendable {
  public private(set) var lines: [String]
  public var row: Int = 0
  /// The cursor in characters within its line.
  public var column: Int = 0
  public var top: Int = 0
  public var left: Int = 0

  public init(_ text: String = "") {
    lines = Self.lines(of: text)
  }

  /// The lines of a text: split at every "\n" that is a character of its own ("\r\n" is one
  /// character, as in Swift's `split(separator: "\n")`), by bytes rather than by graphemes.
  static func lines(of text: String) -> [String] {
    var out: [String] = []
    let u = text.utf8
    var start = u.startIndex
    var i = u.startIndex
    var afterCR = false
    while i != u.endIndex {
      let b = u[i]
      let next = u.index(after: i)
      if b == 0x0A && !afterCR {
        out.append(String(text[start..<i]))
        start = next
      }
      afterCR = b == 0x0D
      i = next
    }
    out.append(String(text[start..<u.endIndex]))
    return out
  }

  public var text: String { lines.joined(separator: "\n") }

  public mutating func setText(_ t: String) {
    self = TextAreaState(t)
  }
}

/// A multi-line text field: arrows, PgUp/PgDn, Home/End (of the line), Enter for a new line,
/// paste keeps its newlines, vertical and horizontal scroll.
public enum TextArea {
  public static let keyMap = KeyMap(
    title: "Multi-line field",
    bindings: [
      KeyBinding(["Up", "Down", "Left", "Right"], "move the cursor"),
      KeyBinding(["PgUp", "PgDn"], "move a page"),
      KeyBinding(["Home", "End"], "start / end of the line"),
      KeyBinding(["Enter"], "new line"),
    ])

  public static func handle(_ key: Key, state s: inout TextAreaState, pageSize: Int = 5) -> Bool {
    var lines = s.lines
    var row = min(max(0, s.row), lines.count - 1)
    var col = min(max(0, s.column), lines[row].count)
    func insert(_ text: String) {
      var line = Array(lines[row])
      let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let before = String(line[..<col])
      let after = String(line[col...])
      if parts.count == 1 {
        line.insert(contentsOf: parts[0], at: col)
        lines[row] = String(line)
        col += parts[0].count
      } else {
        lines[row] = before + parts[0]
        var newLines = Array(parts[1...])
        col = newLines[newLines.count - 1].count
        newLines[newLines.count - 1] += after
        lines.insert(contentsOf: newLines, at: row + 1)
        row += newLines.count
      }
    }
    switch key {
    case .char(let c) where !c.isNewline: insert(String(c))
    case .enter: insert("\n")
    case .paste(let t): insert(t.replacingCRLF())
    case .tab: return false
    case .left:
      if col > 0 {
        col -= 1
      } else if row > 0 {
        row -= 1
        col = lines[row].count
      }
    case .right:
      if col < lines[row].count {
        col += 1
      } else if row < lines.count - 1 {
        row += 1
        col = 0
      }
    case .up:
      guard row > 0 else { return false }
      row -= 1
      col = min(col, lines[row].count)
    case .down:
      guard row < lines.count - 1 else { return false }
      row += 1
      col = min(col, lines[row].count)
    case .pageUp:
      row = max(0, row - pageSize)
      col = min(col, lines[row].count)
    case .pageDown:
      row = min(lines.count - 1, row + pageSize)
      col = min(col, lines[row].count)
    case .home: col = 0
    case .end: col = lines[row].count
    case .backspace:
      if col > 0 {
        var line = Array(lines[row])
        line.remove(at: col - 1)
        lines[row] = String(line)
        col -= 1
      } else if row > 0 {
        col = lines[row - 1].count
        lines[row - 1] += lines[row]
        lines.remove(at: row)
        row -= 1
      }
    case .delete:
      if col < lines[row].count {
        var line = Array(lines[row])
        line.remove(at: col)
        lines[row] = String(line)
      } else if row < lines.count - 1 {
        lines[row] += lines[row + 1]
        lines.remove(at: row + 1)
      }
    default:
      return false
    }
    let top = s.top
    let left = s.left
    s = TextAreaState(lines.joined(separator: "\n"))
    s.row = row
    s.column = col
    s.top = top
    s.left = left
    return true
  }

  public static func render(
    state s: inout TextAreaState, into buffer: inout Buffer, area: Rect, theme: Theme, focused: Bool
  ) {
    guard area.width > 0, area.height > 0 else { return }
    let base = focused ? theme.fieldFocused : theme.field
    buffer.fill(area, with: Cell(" ", style: base))
    let row = min(max(0, s.row), s.lines.count - 1)
    let line = s.lines[row]
    // The characters before the cursor (most often none: no grapheme walk of a long line).
    let cut =
      s.column > 0
      ? line.index(line.startIndex, offsetBy: s.column, limitedBy: line.endIndex) ?? line.endIndex
      : line.startIndex
    let before = line[..<cut]
    if row < s.top { s.top = row }
    if row >= s.top + area.height { s.top = row - area.height + 1 }
    let cursorColumn = before.isEmpty ? 0 : DisplayWidth.of(String(before))
    let room = max(1, area.width - 1)
    if cursorColumn < s.left { s.left = cursorColumn }
    if cursorColumn >= s.left + room { s.left = cursorColumn - room + 1 }
    for y in 0..<area.height {
      let i = s.top + y
      guard i < s.lines.count else { break }
      let r = area.row(y)
      buffer.write(s.lines[i], x: r.x - s.left, y: r.y, style: base, clip: r)
    }
    if s.top > 0 { buffer.write("↑", x: area.maxX - 1, y: area.y, style: base.adding(.bold), clip: area) }
    if s.top + area.height < s.lines.count {
      buffer.write("↓", x: area.maxX - 1, y: area.maxY - 1, style: base.adding(.bold), clip: area)
    }
    if focused {
      let x = area.x + cursorColumn - s.left
      let y = area.y + row - s.top
      // The focus is on the cursor's line.
      buffer.markFocus(area.row(y - area.y))
      let next = line[cut...].first
      let under = next.map { DisplayWidth.width(of: $0) == 1 ? String($0) : " " } ?? " "
      buffer.write(under, x: x, y: y, style: theme.cursor, clip: area)
    }
  }
}

extension String {
  func replacingCRLF() -> String {
    var out = ""
    for c in self {
      if c == "\r\n" || c == "\r" { out.append("\n") } else { out.append(c) }
    }
    return out
  }
}
