/// A rectangle of cells: `x`, `y` of its top-left corner, `width` × `height`.
public struct Rect: Equatable, Hashable, Sendable, CustomStringConvertible {
  public var x: Int
  public var y: Int
  public var width: Int
  public var height: Int

  public init(x: Int, y: Int, width: Int, height: Int) {
    self.x = x
    self.y = y
    self.width = max(0, width)
    self.height = max(0, height)
  }

  public init(width: Int, height: Int) { self.init(x: 0, y: 0, width: width, height: height) }

  public static let zero = Rect(x: 0, y: 0, width: 0, height: 0)

  public var maxX: Int { x + width }
  public var maxY: Int { y + height }
  public var isEmpty: Bool { width <= 0 || height <= 0 }
  public var area: Int { width * height }

  public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }

  public func intersection(_ o: Rect) -> Rect {
    let nx = max(x, o.x)
    let ny = max(y, o.y)
    let w = min(maxX, o.maxX) - nx
    let h = min(maxY, o.maxY) - ny
    return w > 0 && h > 0 ? Rect(x: nx, y: ny, width: w, height: h) : Rect(x: nx, y: ny, width: 0, height: 0)
  }

  /// The rectangle shrunk by `n` on every side (never negative).
  public func inset(_ n: Int) -> Rect { inset(top: n, left: n, bottom: n, right: n) }

  public func inset(top: Int = 0, left: Int = 0, bottom: Int = 0, right: Int = 0) -> Rect {
    Rect(x: x + left, y: y + top, width: width - left - right, height: height - top - bottom)
  }

  /// One row of the rectangle (`dy` from its top), or an empty rect past its bottom.
  public func row(_ dy: Int) -> Rect {
    dy >= 0 && dy < height ? Rect(x: x, y: y + dy, width: width, height: 1) : Rect(x: x, y: y + dy, width: 0, height: 0)
  }

  /// A rectangle of the given size centred in this one (clamped to it).
  public func centered(width w: Int, height h: Int) -> Rect {
    let cw = min(w, width)
    let ch = min(h, height)
    return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
  }

  public var description: String { "\(width)x\(height)+\(x)+\(y)" }
}
