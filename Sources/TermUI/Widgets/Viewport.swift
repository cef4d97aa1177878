/// A screen laid out for at least `minWidth` × `minHeight`, shown in a smaller area: the screen is
/// drawn on a canvas of its minimum size and the part around the focused widget is shown; the view
/// moves only as far as needed to keep the focus in sight (like a form scrolling to its field).
/// `more` says where more is (for the status line). In an area as large as the minimum, it draws
/// directly.
public struct Viewport: Equatable, Sendable {
  public private(set) var x = 0
  public private(set) var y = 0
  /// Arrows for the directions in which the screen goes on beyond the view ("" when it all shows).
  public private(set) var more = ""

  public init() {}

  public mutating func draw(
    into buffer: inout Buffer, area: Rect, minWidth: Int, minHeight: Int, theme: Theme,
    content: (inout Buffer, Rect) -> Void
  ) {
    let area = area.intersection(buffer.area)
    let w = max(area.width, minWidth)
    let h = max(area.height, minHeight)
    guard w > area.width || h > area.height else {
      x = 0
      y = 0
      more = ""
      content(&buffer, area)
      return
    }
    var canvas = Buffer(width: w, height: h)
    content(&canvas, canvas.area)
    if let f = canvas.focus, !f.isEmpty {
      // Across: the start of the widget (up to 16 columns of it) in view; what is left of it (its
      // label) stays when it can.
      let right = f.x + min(f.width, 16, area.width)
      if f.x < x { x = f.x }
      if right > x + area.width { x = right - area.width }
      // Down: the whole widget when it fits, else its top.
      let bottom = f.y + min(f.height, area.height)
      if f.y < y { y = f.y }
      if bottom > y + area.height { y = bottom - area.height }
    }
    x = max(0, min(x, w - area.width))
    y = max(0, min(y, h - area.height))
    buffer.copy(Rect(x: x, y: y, width: area.width, height: area.height), of: canvas, toX: area.x, y: area.y)
    buffer.focus = canvas.focus.map {
      Rect(x: $0.x - x + area.x, y: $0.y - y + area.y, width: $0.width, height: $0.height).intersection(area)
    }
    more =
      (y > 0 ? "▲" : "") + (y + area.height < h ? "▼" : "") + (x > 0 ? "◀" : "") + (x + area.width < w ? "▶" : "")
  }
}
