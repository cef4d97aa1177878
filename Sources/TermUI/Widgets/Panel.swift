/// A box: a border with a title; the border and title are highlighted when the panel has the focus.
public enum Panel {
  public static let corners = (tl: "┌", tr: "┐", bl: "└", br: "┘", h: "─", v: "│")

  /// Draws the box and returns the area inside it.
  @discardableResult
  public static func draw(
    into buffer: inout Buffer, area: Rect, title: String = "", focused: Bool = false, theme: Theme,
    fill: Bool = true, trailing: String = ""
  ) -> Rect {
    guard area.width >= 2 && area.height >= 2 else { return .zero }
    let style = focused ? theme.borderFocused : theme.border
    if fill { buffer.fill(area.inset(1), with: Cell(" ", style: theme.normal)) }
    let c = corners
    let h = Cell(c.h, style: style)
    let v = Cell(c.v, style: style)
    buffer.set(Cell(c.tl, style: style), x: area.x, y: area.y)
    buffer.set(Cell(c.tr, style: style), x: area.maxX - 1, y: area.y)
    buffer.set(Cell(c.bl, style: style), x: area.x, y: area.maxY - 1)
    buffer.set(Cell(c.br, style: style), x: area.maxX - 1, y: area.maxY - 1)
    buffer.fill(Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1), with: h)
    buffer.fill(Rect(x: area.x + 1, y: area.maxY - 1, width: area.width - 2, height: 1), with: h)
    for y in (area.y + 1)..<(area.maxY - 1) {
      buffer.set(v, x: area.x, y: y)
      buffer.set(v, x: area.maxX - 1, y: y)
    }
    drawTitle(title, into: &buffer, area: area, focused: focused, theme: theme)
    if !trailing.isEmpty {
      let w = DisplayWidth.of(trailing)
      buffer.write(
        trailing, x: area.maxX - 1 - w, y: area.maxY - 1, style: style,
        clip: Rect(x: area.x + 1, y: area.maxY - 1, width: area.width - 2, height: 1))
    }
    return inner(area)
  }

  /// The area inside a box drawn in `area` (what `draw` returns).
  public static func inner(_ area: Rect) -> Rect {
    area.width >= 2 && area.height >= 2 ? area.inset(1) : .zero
  }

  /// The title on the top border of a box drawn in `area` (what `draw` writes there).
  public static func drawTitle(_ title: String, into buffer: inout Buffer, area: Rect, focused: Bool, theme: Theme) {
    let titleRoom = area.width - 4
    guard area.width >= 2 && area.height >= 2, !title.isEmpty, titleRoom > 0 else { return }
    let t = " " + DisplayWidth.truncate(title, to: titleRoom - 2) + " "
    buffer.write(
      t, x: area.x + 1, y: area.y, style: focused ? theme.titleFocused : theme.title,
      clip: Rect(x: area.x + 1, y: area.y, width: area.width - 2, height: 1))
  }
}

/// One line of text, cut with `…` when it does not fit.
public enum Label {
  public static func draw(
    _ text: String, into buffer: inout Buffer, area: Rect, style: Style, alignment: Alignment = .left
  ) {
    guard area.height > 0, area.width > 0 else { return }
    let t = DisplayWidth.truncate(text, to: area.width)
    let x: Int
    switch alignment {
    case .left: x = area.x
    case .center: x = area.x + (area.width - DisplayWidth.of(t)) / 2
    case .right: x = area.maxX - DisplayWidth.of(t)
    }
    buffer.write(t, x: x, y: area.y, style: style, clip: area)
  }

  /// Several lines, one per row, cut to the area.
  public static func drawLines(_ lines: [String], into buffer: inout Buffer, area: Rect, style: Style) {
    for (i, l) in lines.prefix(area.height).enumerated() {
      draw(l, into: &buffer, area: area.row(i), style: style)
    }
  }

  public enum Alignment: Sendable { case left, center, right }
}

/// The bottom line: the screen's name and state on the left, hints or a message on the right.
public enum StatusBar {
  public static func draw(left: String, right: String, into buffer: inout Buffer, area: Rect, theme: Theme) {
    guard area.height > 0 else { return }
    buffer.fill(area, with: Cell(" ", style: theme.statusBar))
    let rightWidth = min(DisplayWidth.of(right), max(0, area.width - 1))
    Label.draw(
      right, into: &buffer, area: Rect(x: area.maxX - rightWidth, y: area.y, width: rightWidth, height: 1),
      style: theme.statusBar)
    Label.draw(
      left, into: &buffer, area: Rect(x: area.x, y: area.y, width: max(0, area.width - rightWidth - 1), height: 1),
      style: theme.statusBar)
  }
}
