/// A dropdown's state: the chosen option and, while open, the popup list.
public struct DropdownState: Equatable, Sendable {
  /// The chosen option's index, or nil.
  public var selected: Int?
  public var isOpen = false
  public var list = ListState()
  /// A value typed that is not among the options (for fields that allow free text).
  public var customText: String?
  public var allowsCustom: Bool
  /// The popup's width, measured on the options when it opened (measuring up to 200 names on
  /// every key was a third of the work of a Down in a popup of 1,000); measured again when the
  /// number of options changes.
  var measured: Measured?

  struct Measured: Equatable, Sendable {
    var count: Int
    var widest: Int
  }

  public init(selected: Int? = nil, allowsCustom: Bool = false) {
    self.selected = selected
    self.allowsCustom = allowsCustom
  }

  /// The state without its popup's list and measure: what the field (and what is drawn under the
  /// popup) depends on. Two states with the same `field` differ only in the open popup.
  public var field: DropdownState {
    var d = self
    d.list = ListState()
    d.measured = nil
    return d
  }
}

/// What a key did to a dropdown.
public enum DropdownAction: Equatable, Sendable {
  case ignored
  case handled
  case chose(Int)
  /// A typed value that is not an option (only with `allowsCustom`).
  case choseText(String)
  case cancelled
}

/// A closed field that opens a popup list drawn over everything; typing filters the entries;
/// Enter chooses, Esc closes. The popup opens below the field, or above it when there is no room.
public enum Dropdown {
  public static let keyMap = KeyMap(
    title: "Dropdown",
    bindings: [
      KeyBinding(["Enter", "Space", "Down"], "open"),
      KeyBinding(["type"], "filter the entries"),
      KeyBinding(["Up", "Down", "PgUp", "PgDn"], "move in the open list"),
      KeyBinding(["Enter"], "choose (a typed value where free text is allowed)"),
      KeyBinding(["Esc"], "close without choosing"),
    ])

  public static func handle(_ key: Key, state: inout DropdownState, options: [String]) -> DropdownAction {
    if !state.isOpen {
      switch key {
      case .enter, .char(" "), .down:
        open(&state, options: options)
        return .handled
      case .char(let c):
        open(&state, options: options)
        state.list.setFilter(String(c), options)
        return .handled
      default:
        return .ignored
      }
    }
    switch key {
    case .enter:
      state.isOpen = false
      if let i = state.list.selectedIndex(options) {
        state.selected = i
        state.customText = nil
        return .chose(i)
      }
      if state.allowsCustom && !state.list.filter.isEmpty {
        state.customText = state.list.filter
        state.selected = nil
        return .choseText(state.list.filter)
      }
      return .cancelled
    case .escape:
      if !state.list.filter.isEmpty && state.list.visibleCount(options) == 0 {
        state.list.setFilter("", options)
        return .handled
      }
      state.isOpen = false
      return .cancelled
    case .tab, .backTab:
      state.isOpen = false
      return .cancelled
    default:
      return ListView.handle(key, state: &state.list, source: options) ? .handled : .handled
    }
  }

  static func open(_ state: inout DropdownState, options: [String]) {
    state.isOpen = true
    state.list = ListState(selected: 0)
    state.measured = nil
    if let s = state.selected { state.list.select(index: s, in: options) }
  }

  /// The closed field: the chosen text and a ▼.
  public static func renderField(
    state: DropdownState, options: [String], into buffer: inout Buffer, area: Rect, theme: Theme, focused: Bool,
    placeholder: String = "(none)"
  ) {
    guard area.width > 0, area.height > 0 else { return }
    let row = area.row(0)
    if focused { buffer.markFocus(row) }
    let style = focused ? theme.fieldFocused : theme.field
    buffer.fill(row, with: Cell(" ", style: style))
    let text = state.customText ?? state.selected.flatMap { $0 < options.count ? options[$0] : nil } ?? placeholder
    Label.draw(" " + text, into: &buffer, area: row.inset(right: 2), style: style)
    buffer.write(state.isOpen ? "▲" : "▼", x: row.maxX - 2, y: row.y, style: style, clip: row)
  }

  /// The popup: call after drawing everything else. Returns the popup's rectangle.
  @discardableResult
  public static func renderPopup(
    state: inout DropdownState, options: [String], anchor: Rect, screen: Rect, into buffer: inout Buffer,
    theme: Theme, maxRows: Int = 10
  ) -> Rect {
    guard state.isOpen else { return .zero }
    let visible = state.list.visibleCount(options)
    let filterRow = state.list.filter.isEmpty ? 0 : 1
    let rows = max(1, min(maxRows, visible)) + filterRow
    if state.measured?.count != options.count {
      let widest = min(60, (0..<min(options.count, 200)).map { DisplayWidth.of(options[$0]) }.max() ?? 10)
      state.measured = .init(count: options.count, widest: widest)
    }
    let widest = state.measured!.widest
    let width = min(screen.width, max(anchor.width, widest + 4))
    let height = rows + 2
    let below = screen.maxY - anchor.maxY
    let above = anchor.y - screen.y
    let y: Int
    var h = height
    if below >= height || below >= above {
      y = anchor.maxY
      h = min(height, below)
    } else {
      h = min(height, above)
      y = anchor.y - h
    }
    let x = max(screen.x, min(anchor.x, screen.maxX - width))
    let frame = Rect(x: x, y: y, width: width, height: h)
    guard frame.height >= 3 else { return .zero }
    buffer.fill(frame, with: Cell(" ", style: theme.popup))
    let inner = Panel.draw(into: &buffer, area: frame, title: "", focused: true, theme: theme)
    ListView.render(
      state: &state.list, source: options, into: &buffer, area: inner, theme: theme, focused: true,
      emptyText: state.allowsCustom && !state.list.filter.isEmpty ? "Enter: use \"\(state.list.filter)\"" : nil)
    return frame
  }
}
