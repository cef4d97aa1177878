/// A window drawn over the current screen: the screen below is dimmed, the window is centred (or
/// placed), has a border, a title and a shadow, clears its area, and scrolls its content when the
/// terminal is smaller than it.
public enum FloatingWindow {
  /// Where a window of the wanted size goes on this screen (centred, clamped, room for the shadow).
  public static func frame(screen: Rect, width: Int, height: Int, at origin: (x: Int, y: Int)? = nil) -> Rect {
    let w = min(width, max(0, screen.width - 1))
    let h = min(height, max(0, screen.height - 1))
    if let origin {
      return Rect(
        x: max(screen.x, min(origin.x, screen.maxX - w - 1)), y: max(screen.y, min(origin.y, screen.maxY - h - 1)),
        width: w, height: h)
    }
    return Rect(
      x: screen.x + (screen.width - 1 - w) / 2, y: screen.y + (screen.height - 1 - h) / 2, width: w, height: h)
  }

  /// Dims the buffer, draws the shadow, border and title, and returns the content area. When the
  /// content (`contentHeight` rows) is taller than the area, `scroll` is clamped and arrows show.
  @discardableResult
  public static func draw(
    into buffer: inout Buffer, frame: Rect, title: String, theme: Theme, contentHeight: Int? = nil,
    scroll: inout Int, dimBelow: Bool = true
  ) -> Rect {
    drawBelow(into: &buffer, frame: frame, theme: theme, dimBelow: dimBelow)
    // The panel covers the whole frame (border and filled inside) when there is room for one.
    if frame.width < 2 || frame.height < 2 { buffer.fill(frame, with: Cell(" ", style: theme.popup)) }
    let inner = Panel.draw(into: &buffer, area: frame, title: title, focused: true, theme: theme)
    if let contentHeight, contentHeight > inner.height {
      scroll = max(0, min(scroll, contentHeight - inner.height))
      if scroll > 0 { buffer.write("▲", x: frame.maxX - 2, y: frame.y, style: theme.borderFocused, clip: frame) }
      if scroll + inner.height < contentHeight {
        buffer.write("▼", x: frame.maxX - 2, y: frame.maxY - 1, style: theme.borderFocused, clip: frame)
      }
    } else {
      scroll = 0
    }
    return inner
  }

  /// What a window does to the screen below it: dims it (unless the caller did) and casts the
  /// shadow, one column to the right of the frame and one row below it.
  public static func drawBelow(into buffer: inout Buffer, frame: Rect, theme: Theme, dimBelow: Bool) {
    if dimBelow {
      // What is below is not in use while the window is open: the window's widgets take the focus.
      buffer.dim(theme)
      buffer.focus = nil
    }
    let shadowStyle = theme.shadow
    buffer.restyle(Rect(x: frame.maxX, y: frame.y + 1, width: 1, height: frame.height)) { $0 = shadowStyle }
    buffer.restyle(Rect(x: frame.x + 1, y: frame.maxY, width: frame.width, height: 1)) { $0 = shadowStyle }
  }

  /// The rectangle of content row `row` (of height `height`) after scrolling, clipped to the
  /// content area; empty when it is scrolled out of view.
  public static func place(_ row: Int, height: Int = 1, x: Int, width: Int, in content: Rect, scroll: Int) -> Rect {
    Rect(x: x, y: content.y + row - scroll, width: width, height: height).intersection(content)
  }
}

extension FloatingWindow {
  /// A message in a floating window sized to its lines (dialogs, confirmations).
  public static func drawMessage(
    _ lines: [String], title: String, into buffer: inout Buffer, screen: Rect, theme: Theme, dimBelow: Bool = true
  ) {
    let width = min(screen.width - 2, (lines.map(DisplayWidth.of).max() ?? 30) + 4)
    // Lines wider than a narrow screen wrap at spaces.
    let wrapped = lines.map { DisplayWidth.wrap($0, to: max(1, width - 3)) }
    var rows = wrapped.flatMap { $0 }
    let frame = Self.frame(screen: screen, width: width, height: rows.count + 2)
    var scroll = 0
    let content = draw(
      into: &buffer, frame: frame, title: title, theme: theme, contentHeight: rows.count, scroll: &scroll,
      dimBelow: dimBelow)
    // When the rows do not fit, the last line (the keys that answer) still shows, at the bottom.
    if rows.count > content.height && content.height >= 2, let keys = wrapped.last {
      let keep = min(keys.count, content.height - 1)
      rows = Array(rows.prefix(content.height - keep)) + keys.prefix(keep)
    }
    for (i, l) in rows.enumerated() {
      let r = place(i, x: content.x + 1, width: content.width - 1, in: content, scroll: scroll)
      if !r.isEmpty { Label.draw(l, into: &buffer, area: r, style: theme.normal) }
    }
    // A message window answers the keys: it has the focus.
    buffer.markFocus(frame)
  }
}

/// The help overlay: every key of the current screen, in a floating window.
public enum HelpOverlay {
  public static func draw(
    _ maps: [KeyMap], title: String = "Help — keys of this screen", into buffer: inout Buffer, screen: Rect,
    theme: Theme, scroll: inout Int
  ) {
    let lines = KeyMap.helpLines(maps) + ["", "Esc, F1 or ? closes this help; Up/Down/PgUp/PgDn scroll."]
    let width = min(screen.width - 2, (lines.map(DisplayWidth.of).max() ?? 20) + 4)
    let frame = FloatingWindow.frame(screen: screen, width: width, height: lines.count + 2)
    let inner = FloatingWindow.draw(
      into: &buffer, frame: frame, title: title, theme: theme, contentHeight: lines.count, scroll: &scroll)
    for (i, l) in lines.enumerated() {
      let r = FloatingWindow.place(i, x: inner.x + 1, width: inner.width - 1, in: inner, scroll: scroll)
      if !r.isEmpty {
        Label.draw(l, into: &buffer, area: r, style: i == 0 || !l.hasPrefix(" ") ? theme.titleFocused : theme.normal)
      }
    }
    buffer.markFocus(frame)
  }

  /// Scrolling keys of the overlay; returns true when it should close.
  public static func handle(_ key: Key, scroll: inout Int) -> Bool {
    switch key {
    case .escape, .function(1), .char("?"), .enter: return true
    case .up: scroll = max(0, scroll - 1)
    case .down: scroll += 1
    case .pageUp: scroll = max(0, scroll - 10)
    case .pageDown: scroll += 10
    case .home: scroll = 0
    default: break
    }
    return false
  }
}
