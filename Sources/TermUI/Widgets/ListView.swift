/// Rows a list shows. Lists are virtualised: only the visible rows are asked for.
public protocol ListSource {
  var count: Int { get }
  func text(at index: Int) -> String
}

extension Array: ListSource where Element == String {
  public func text(at index: Int) -> String { self[index] }
}

/// A list's state, owned by the app: the selection, the scroll position and the filter.
public struct ListState: Equatable, Sendable {
  /// The position of the selection among the visible (filtered) rows.
  public var selected: Int
  /// The first visible row.
  public var offset: Int = 0
  /// Typing filters the list (case-insensitive substring); Backspace edits, Esc clears.
  public var filter: String = ""
  public var filterable: Bool
  /// Source indices that match the filter; nil when there is no filter.
  public private(set) var matches: [Int]?
  /// The rows shown at the last draw (PgUp/PgDn move by this much).
  public var pageSize: Int = 10
  /// The last search, to narrow the next one (a cache: not part of the state's equality).
  private var lastSearch = LastSearch()

  public init(selected: Int = 0, filterable: Bool = true) {
    self.selected = selected
    self.filterable = filterable
  }

  public func visibleCount(_ source: ListSource) -> Int { matches?.count ?? source.count }

  /// The source index of the selection, if any (nil when the source shrank under a filter).
  public func selectedIndex(_ source: ListSource) -> Int? {
    let n = visibleCount(source)
    guard n > 0 else { return nil }
    let s = min(max(0, selected), n - 1)
    let index = matches?[s] ?? s
    return index < source.count ? index : nil
  }

  /// Selects a source index (clearing a filter that hides it).
  public mutating func select(index: Int, in source: ListSource) {
    if let m = matches {
      if let pos = m.firstIndex(of: index) {
        selected = pos
        return
      }
      setFilter("", source)
    }
    selected = max(0, min(index, source.count - 1))
  }

  public mutating func setFilter(_ text: String, _ source: ListSource) {
    let previous = selectedIndex(source)
    filter = text
    if text.isEmpty {
      matches = nil
      lastSearch = LastSearch()
    } else {
      let needle = FilterMatch(text)
      var m: [Int] = []
      let rows = source as? [String]
      if let rows, let found = lastSearch.found(rows, narrowingTo: needle.lowered) {
        for i in found where needle.matches(source.text(at: i)) { m.append(i) }
      } else {
        for i in 0..<source.count where needle.matches(source.text(at: i)) { m.append(i) }
      }
      matches = m
      lastSearch = LastSearch(rows.map { ($0, needle.lowered, m) })
    }
    // Keep the same item selected when it still shows.
    if let previous, let pos = matches?.firstIndex(of: previous) ?? (matches == nil ? previous : nil) {
      selected = pos
    } else {
      selected = 0
    }
    offset = 0
  }

  /// Recomputes the matches after the source changed.
  public mutating func refresh(_ source: ListSource) {
    if !filter.isEmpty { setFilter(filter, source) }
    let n = visibleCount(source)
    selected = n == 0 ? 0 : min(max(0, selected), n - 1)
  }
}

/// A vertical list with a selection.
public enum ListView {
  public static let keyMap = KeyMap(
    title: "List",
    bindings: [
      KeyBinding(["Up", "Down"], "move the selection"),
      KeyBinding(["PgUp", "PgDn"], "move a page"),
      KeyBinding(["Home", "End"], "first / last row"),
      KeyBinding(["type"], "filter the list (Backspace edits, Esc clears)"),
    ])

  /// Handles a key; returns true when the list used it.
  public static func handle(_ key: Key, state: inout ListState, source: ListSource) -> Bool {
    let n = state.visibleCount(source)
    let page = max(1, state.pageSize - 1)
    switch key {
    case .up: state.selected = max(0, state.selected - 1)
    case .down: state.selected = min(max(0, n - 1), state.selected + 1)
    case .pageUp: state.selected = max(0, state.selected - page)
    case .pageDown: state.selected = min(max(0, n - 1), state.selected + page)
    case .home: state.selected = 0
    case .end: state.selected = max(0, n - 1)
    case .char(let c) where state.filterable && !c.isNewline:
      state.setFilter(state.filter + String(c), source)
    case .paste(let text) where state.filterable:
      state.setFilter(state.filter + text.filter { !$0.isNewline }, source)
    case .backspace where state.filterable && !state.filter.isEmpty:
      state.setFilter(String(state.filter.dropLast()), source)
    case .escape where !state.filter.isEmpty:
      state.setFilter("", source)
    default:
      return false
    }
    return true
  }

  /// Draws the visible rows; keeps the selection in view. A filter shows in the last row.
  public static func render(
    state: inout ListState, source: ListSource, into buffer: inout Buffer, area: Rect, theme: Theme, focused: Bool,
    emptyText: String? = nil, decorate: ((Int) -> (prefix: String, style: Style?))? = nil
  ) {
    guard area.height > 0, area.width > 0 else { return }
    // The focus is on the selected row (on the first row of an empty list).
    if focused { buffer.markFocus(area.row(0)) }
    var rows = area
    if !state.filter.isEmpty {
      rows.height -= 1
      let f = "filter: " + state.filter + "  (\(state.visibleCount(source)))"
      Label.draw(f, into: &buffer, area: area.row(area.height - 1), style: theme.muted.adding(.underline))
    }
    state.pageSize = max(1, rows.height)
    // The source changed under a filter (an entry deleted, a file reloaded): match again.
    if let last = state.matches?.last, last >= source.count { state.refresh(source) }
    let n = state.visibleCount(source)
    if n == 0 {
      let text = emptyText ?? (state.filter.isEmpty ? "(empty)" : "no match")
      Label.draw(text, into: &buffer, area: rows.row(0), style: theme.muted)
      return
    }
    state.selected = min(max(0, state.selected), n - 1)
    if state.selected < state.offset { state.offset = state.selected }
    if state.selected >= state.offset + rows.height { state.offset = state.selected - rows.height + 1 }
    state.offset = max(0, min(state.offset, max(0, n - rows.height)))
    let last = min(n, state.offset + rows.height)
    for pos in state.offset..<last {
      let index = state.matches?[pos] ?? pos
      let row = rows.row(pos - state.offset)
      let isSelected = pos == state.selected
      if isSelected && focused { buffer.markFocus(row) }
      let deco = decorate?(index)
      var style = deco?.style ?? theme.normal
      if isSelected { style = focused ? theme.selectedFocused : theme.selected }
      if isSelected { buffer.fill(row, with: Cell(" ", style: style)) }
      let text = source.text(at: index)
      if row.width > 1 {
        // " " + prefix + text cut to the row, without building that string: the space, then the
        // rest cut to the columns after it (the same cells).
        buffer.set(Cell(scalar: " ", style: style), x: row.x, y: row.y)
        let prefix = deco?.prefix ?? ""
        Label.draw(prefix.isEmpty ? text : prefix + text, into: &buffer, area: row.inset(left: 1), style: style)
      } else {
        Label.draw(" " + (deco?.prefix ?? "") + text, into: &buffer, area: row, style: style)
      }
    }
    // A scroll bar when not everything fits.
    if n > rows.height && rows.width > 2 {
      let barX = rows.maxX - 1
      let thumb = max(1, rows.height * rows.height / n)
      let top = (rows.height - thumb) * state.offset / max(1, n - rows.height)
      for y in 0..<rows.height {
        let s: Unicode.Scalar = y >= top && y < top + thumb ? "█" : "│"
        buffer.set(Cell(scalar: s, style: theme.muted), x: barX, y: rows.y + y)
      }
    }
  }
}

/// The last search of a list of strings: a filter typed on from it (its characters start with
/// the last one's) can only match rows the last one matched, when the rows are the same (compared
/// by `==`: at once when they are the same array, as the screens keep them). Typing a CJK filter
/// in a list of 10,000 searched every row by characters on every key (~10 ms).
struct LastSearch: Equatable, Sendable {
  private let search: (rows: [String], lowered: [Character], found: [Int])?

  init(_ search: ([String], String, [Int])? = nil) {
    self.search = search.map { ($0.0, Array($0.1), $0.2) }
  }

  /// The rows a search for `lowered` has to look at, if fewer than all.
  func found(_ rows: [String], narrowingTo lowered: String) -> [Int]? {
    guard let search, Array(lowered).starts(with: search.lowered), search.rows == rows else { return nil }
    return search.found
  }

  /// A cache: states that differ only in it are equal.
  static func == (_: LastSearch, _: LastSearch) -> Bool { true }
}

/// A list filter: whether a row's text holds the filter, ignoring case — what
/// `text.lowercased().contains(filter.lowercased())` answers (by characters: "e" is not found in an
/// "é" written as e and a combining accent). The string-processing library's search took ~450 ns
/// a row, 4.5 ms a key in a list of 10,000; a filter of plain ASCII (no CR, which joins a
/// following LF into one character) is looked for in the row's bytes first, ignoring ASCII case:
/// - a row of plain ASCII: the bytes answer;
/// - another row that does not hold the bytes does not hold the characters either — a character
///   equal to an ASCII one is that byte, but for three (U+037E equals `;`, U+1FEF equals a
///   backtick, the Kelvin sign lower-cases to `k`), which send the row to the search by characters;
/// - a row that holds the bytes is searched by characters (an accent may follow the match).
///
/// A filter that starts with a CJK unified ideograph (the first non-ASCII character typed in a
/// list of 10,000 took ~10 ms, every row searched by characters) looks for the ideograph's bytes
/// first: no other character lower-cases or decomposes into a unified ideograph but the CJK
/// compatibility ideographs (U+F900–U+FAFF, U+2F800–U+2FA1F, each canonically equal to one), so
/// a row holding neither cannot hold the filter's first character (`mayHold`); the other rows are
/// searched by characters.
struct FilterMatch {
  let lowered: String
  /// The filter's bytes, lower case, when it is plain ASCII.
  let ascii: [UInt8]?
  /// Whether the filter holds `;` or a backtick, which other characters equal.
  let hasLookalikes: Bool
  /// Whether the filter holds a `k`, which the Kelvin sign lower-cases to.
  let hasK: Bool
  /// The UTF-8 of the filter's first character when that starts with a CJK unified ideograph.
  let ideograph: (UInt8, UInt8, UInt8)?

  init(_ filter: String) {
    lowered = filter.lowercased()
    ascii = filter.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D } ? Array(lowered.utf8) : nil
    hasLookalikes = filter.utf8.contains { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "`") }
    hasK = lowered.utf8.contains(UInt8(ascii: "k"))
    if let first = lowered.unicodeScalars.first, Self.unifiedIdeographs.contains(where: { $0.contains(first.value) }) {
      let bytes = Array(String(first).utf8)
      ideograph = (bytes[0], bytes[1], bytes[2])
    } else {
      ideograph = nil
    }
  }

  func matches(_ text: String) -> Bool {
    if let needle = ascii, let answer = text.utf8.withContiguousStorageIfAvailable({ search(needle, in: $0) }),
      let answer
    {
      return answer
    }
    if let ideograph, text.utf8.withContiguousStorageIfAvailable({ Self.mayHold(ideograph, $0) }) == false {
      return false
    }
    return Self.byCharacters(text, lowered)
  }

  /// The CJK unified ideographs the filter looks for by their bytes (Extension A and the main
  /// block: the ones typed most; each is three bytes of UTF-8, the first E3–E9).
  static let unifiedIdeographs: [ClosedRange<UInt32>] = [0x3400...0x4DBF, 0x4E00...0x9FFF]
  /// The CJK compatibility ideographs, each canonically equal to a unified one.
  static let compatibilityIdeographs: [ClosedRange<UInt32>] = [0xF900...0xFAFF, 0x2F800...0x2FA1F]

  /// Whether a row may hold a character that starts with the ideograph (its UTF-8): the row's
  /// bytes hold it, or a compatibility ideograph (EF A4–AB xx: U+F900–U+FAFF; F0 AF A0–A8 xx:
  /// U+2F800–U+2FA1F). `IdeographFilterTests` checks every scalar: no other lower-cases or
  /// decomposes into a unified ideograph.
  static func mayHold(_ ideograph: (UInt8, UInt8, UInt8), _ hay: UnsafeBufferPointer<UInt8>) -> Bool {
    let n = hay.count
    var i = 0
    while i < n {
      let b = hay[i]
      if b >= 0xE3 {
        if b == ideograph.0 && i + 2 < n && hay[i + 1] == ideograph.1 && hay[i + 2] == ideograph.2 { return true }
        if b == 0xEF && i + 1 < n && hay[i + 1] >= 0xA4 && hay[i + 1] <= 0xAB { return true }
        if b == 0xF0 && i + 2 < n && hay[i + 1] == 0xAF && hay[i + 2] >= 0xA0 && hay[i + 2] <= 0xA8 { return true }
      }
      i += 1
    }
    return false
  }

  /// The answer from the bytes, or nil when the search by characters must answer.
  private func search(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>) -> Bool? {
    let found = Self.holds(hay, needle)
    var plain = true
    for b in hay where b >= 0x80 || b == 0x0D {
      plain = false
      break
    }
    if plain { return found }
    if found || hasLookalikes { return nil }
    if hasK {
      // U+212A KELVIN SIGN: E2 84 AA.
      var i = 0
      while i + 2 < hay.count {
        if hay[i] == 0xE2 && hay[i + 1] == 0x84 && hay[i + 2] == 0xAA { return nil }
        i += 1
      }
    }
    return false
  }

  /// ASCII letters in lower case, every other byte as it is.
  private static let folded: [UInt8] = (0...255).map { UInt8($0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0) }

  /// Whether the bytes hold the needle (lower case), ASCII letters compared ignoring case.
  static func holds(_ hay: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
    guard let first = needle.first else { return true }
    guard hay.count >= needle.count else { return false }
    return folded.withUnsafeBufferPointer { fold in
      needle.withUnsafeBufferPointer { n in
        for i in 0...(hay.count - n.count) where fold[Int(hay[i])] == first {
          var k = 1
          while k < n.count && fold[Int(hay[i + k])] == n[k] { k += 1 }
          if k == n.count { return true }
        }
        return false
      }
    }
  }

  /// The search by characters (the standard library's, which this file sees — not Foundation's,
  /// which answers otherwise for a lone combining mark or an empty filter).
  static func byCharacters(_ text: String, _ lowered: String) -> Bool { text.lowercased().contains(lowered) }
}
