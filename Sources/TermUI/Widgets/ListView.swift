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
    } else {
      let needle = text.lowercased()
      var m: [Int] = []
      for i in 0..<source.count where source.text(at: i).lowercased().contains(needle) { m.append(i) }
      matches = m
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
